package ai.bellm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Hyper-parameters of a LLaMA-architecture decoder (LLaMA or Qwen2), named as in Hugging Face's {@code config.json}.
 *
 * @param headDim dimension of one attention head (usually hiddenSize / numHeads)
 * @param tieWordEmbeddings whether the LM head reuses the token embedding matrix
 */
public record LlamaConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        float rmsNormEps,
        float ropeTheta,
        int maxPositions,
        boolean tieWordEmbeddings,
        Architecture architecture) {

    public LlamaConfig {
        require(vocabSize > 0, "vocab_size must be positive");
        require(hiddenSize > 0, "hidden_size must be positive");
        require(intermediateSize > 0, "intermediate_size must be positive");
        require(numLayers > 0, "num_hidden_layers must be positive");
        require(numHeads > 0 && numKvHeads > 0, "head counts must be positive");
        require(numHeads % numKvHeads == 0,
                "num_attention_heads (" + numHeads + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        require(headDim > 0 && headDim % 2 == 0, "head_dim must be positive and even (rotary embedding), got " + headDim);
        require(rmsNormEps > 0, "rms_norm_eps must be positive");
        require(ropeTheta > 0, "rope_theta must be positive");
        require(maxPositions > 0, "max_position_embeddings must be positive");
        require(architecture != null, "no architecture");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid LLaMA config: " + message);
        }
    }

    /** The same model cut to its first {@code layers} decoder layers. */
    public LlamaConfig withLayers(int layers) {
        return new LlamaConfig(vocabSize, hiddenSize, intermediateSize, layers, numHeads, numKvHeads, headDim,
                rmsNormEps, ropeTheta, maxPositions, tieWordEmbeddings, architecture);
    }

    /** Query heads that share one key/value head (grouped-query attention). */
    public int queriesPerKvHead() {
        return numHeads / numKvHeads;
    }

    /** Reads an HF {@code config.json} of a LLaMA or Qwen2 model. */
    public static LlamaConfig fromHfConfig(JsonNode json) {
        Architecture architecture;
        try {
            architecture = Architecture.of(json.path("model_type").asText("llama"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config.json: model_type: " + e.getMessage(), e);
        }
        if (json.path("use_sliding_window").asBoolean(false)) {
            throw new IllegalArgumentException("config.json: use_sliding_window is not supported");
        }
        JsonNode scaling = json.path("rope_scaling");
        if (!scaling.isMissingNode() && !scaling.isNull()) {
            throw new IllegalArgumentException("config.json: rope_scaling " + scaling + " is not supported");
        }
        int hidden = requiredInt(json, "hidden_size");
        int heads = requiredInt(json, "num_attention_heads");
        return new LlamaConfig(
                requiredInt(json, "vocab_size"),
                hidden,
                requiredInt(json, "intermediate_size"),
                requiredInt(json, "num_hidden_layers"),
                heads,
                json.path("num_key_value_heads").asInt(heads),
                json.path("head_dim").asInt(hidden / heads),
                (float) json.path("rms_norm_eps").asDouble(1e-6),
                (float) json.path("rope_theta").asDouble(10000.0),
                json.path("max_position_embeddings").asInt(2048),
                json.path("tie_word_embeddings").asBoolean(false),
                architecture);
    }

    private static int requiredInt(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || !node.canConvertToInt()) {
            throw new IllegalArgumentException("config.json: missing or non-integer field '" + field + "'");
        }
        return node.asInt();
    }

    /** The same config as an HF {@code config.json} document. */
    public ObjectNode toHfConfig(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        json.put("model_type", architecture.id());
        json.putArray("architectures").add(architecture.hfClass());
        json.put("vocab_size", vocabSize);
        json.put("hidden_size", hiddenSize);
        json.put("intermediate_size", intermediateSize);
        json.put("num_hidden_layers", numLayers);
        json.put("num_attention_heads", numHeads);
        json.put("num_key_value_heads", numKvHeads);
        json.put("head_dim", headDim);
        json.put("rms_norm_eps", rmsNormEps);
        json.put("rope_theta", ropeTheta);
        json.put("max_position_embeddings", maxPositions);
        json.put("tie_word_embeddings", tieWordEmbeddings);
        json.put("hidden_act", "silu");
        json.put("torch_dtype", "float32");
        return json;
    }
}
