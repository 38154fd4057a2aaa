package ai.bellm.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Rebuilds a Hugging Face {@code tokenizer.json} (byte-level BPE) from a GGUF file's tokenizer metadata: the token
 * list, the merges, the token types (control and user-defined tokens become added tokens) and the pre-tokenizer named
 * by {@code tokenizer.ggml.pre}, written as llama.cpp applies it.
 */
public final class GgufTokenizerJson {

    // GGUF token types (llama.cpp's llama_token_type)
    private static final int CONTROL = 3;
    private static final int USER_DEFINED = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private GgufTokenizerJson() {
    }

    /** A tokenizer for the model described by {@code metadata} (GGUF key/value pairs). */
    public static HfTokenizer tokenizer(Map<String, Object> metadata) {
        boolean addBos = Boolean.TRUE.equals(metadata.get("tokenizer.ggml.add_bos_token"));
        Object bos = metadata.get("tokenizer.ggml.bos_token_id");
        OptionalInt prepend = addBos && bos instanceof Number n ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
        return HfTokenizer.fromJson(build(metadata), prepend);
    }

    /** The {@code tokenizer.json} document. */
    public static String build(Map<String, Object> metadata) {
        String model = String.valueOf(metadata.get("tokenizer.ggml.model"));
        if (!model.equals("gpt2")) {
            throw new IllegalArgumentException("GGUF tokenizer model '" + model + "' is not supported: only byte-level"
                    + " BPE ('gpt2') is rebuilt from GGUF metadata; for other models use an HF directory with"
                    + " tokenizer.json");
        }
        List<?> tokens = list(metadata, "tokenizer.ggml.tokens");
        List<?> merges = list(metadata, "tokenizer.ggml.merges");
        List<?> types = metadata.containsKey("tokenizer.ggml.token_type")
                ? list(metadata, "tokenizer.ggml.token_type") : List.of();

        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        root.putNull("normalizer");
        root.set("pre_tokenizer", preTokenizer(String.valueOf(metadata.getOrDefault("tokenizer.ggml.pre", "default"))));
        root.putNull("post_processor");
        root.set("decoder", byteLevel(true));

        ObjectNode bpe = root.putObject("model");
        bpe.put("type", "BPE");
        bpe.putNull("dropout");
        bpe.putNull("unk_token");
        bpe.putNull("continuing_subword_prefix");
        bpe.putNull("end_of_word_suffix");
        bpe.put("fuse_unk", false);
        bpe.put("byte_fallback", false);
        bpe.put("ignore_merges", false);
        ObjectNode vocab = bpe.putObject("vocab");
        for (int id = 0; id < tokens.size(); id++) {
            String token = String.valueOf(tokens.get(id));
            vocab.put(token, id);
            int type = id < types.size() ? ((Number) types.get(id)).intValue() : 1;
            if (type == CONTROL || type == USER_DEFINED) {
                ObjectNode t = added.addObject();
                t.put("id", id);
                t.put("content", token);
                t.put("single_word", false);
                t.put("lstrip", false);
                t.put("rstrip", false);
                t.put("normalized", false);
                t.put("special", type == CONTROL);
            }
        }
        ArrayNode mergeList = bpe.putArray("merges");
        merges.forEach(m -> mergeList.add(String.valueOf(m)));
        return root.toString();
    }

    /** The pre-tokenizer of llama.cpp's pre-tokenizer type, as a tokenizers JSON node. */
    private static ObjectNode preTokenizer(String pre) {
        return switch (pre) {
            // GPT-2's regex after splitting every digit on its own (SmolLM, SmolLM2)
            case "smollm" -> sequence(digitsEach(), byteLevel(true));
            case "default", "gpt-2", "gpt2" -> byteLevel(true);
            case "llama-bpe", "llama3" -> sequence(split(
                    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
                            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"), byteLevel(false));
            default -> throw new IllegalArgumentException("GGUF pre-tokenizer '" + pre + "' is not supported"
                    + " (supported: smollm, default/gpt-2, llama-bpe)");
        };
    }

    private static ObjectNode byteLevel(boolean useRegex) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", false);
        node.put("trim_offsets", true);
        node.put("use_regex", useRegex);
        return node;
    }

    private static ObjectNode digitsEach() {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "Digits");
        node.put("individual_digits", true);
        return node;
    }

    private static ObjectNode split(String regex) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "Split");
        node.putObject("pattern").put("Regex", regex);
        node.put("behavior", "Isolated");
        node.put("invert", false);
        return node;
    }

    private static ObjectNode sequence(ObjectNode... steps) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "Sequence");
        ArrayNode list = node.putArray("pretokenizers");
        for (ObjectNode step : steps) {
            list.add(step);
        }
        return node;
    }

    private static List<?> list(Map<String, Object> metadata, String key) {
        if (!(metadata.get(key) instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("GGUF metadata has no " + key + " list: cannot rebuild the tokenizer");
        }
        return list;
    }
}
