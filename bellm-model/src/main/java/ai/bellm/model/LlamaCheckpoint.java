package ai.bellm.model;

import ai.bellm.tokenizer.ByteLevelBpeJson;
import ai.bellm.weights.GgufFile;
import ai.bellm.weights.SafetensorsShards;
import ai.bellm.weights.Tensor;
import ai.bellm.weights.TensorSource;
import ai.bellm.weights.WeightFormatException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The weights of a LLaMA-architecture model (LLaMA, or Qwen2 with its Q/K/V biases), from a GGUF file or a Hugging
 * Face directory ({@code config.json} plus {@code model.safetensors} or a sharded index), served as F32 tensors
 * named and laid out as in HF's {@code LlamaForCausalLM}. Every tensor's presence and shape is checked against the
 * config when opening.
 */
public final class LlamaCheckpoint implements AutoCloseable {

    public static final String EMBED = "model.embed_tokens.weight";
    public static final String NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    private static final String GGUF_OUTPUT = "output.weight";
    /** HF per-layer suffix to the llama.cpp per-layer name. */
    private static final Map<String, String> LAYER_NAMES = Map.ofEntries(
            Map.entry("self_attn.q_proj.weight", "attn_q.weight"),
            Map.entry("self_attn.k_proj.weight", "attn_k.weight"),
            Map.entry("self_attn.v_proj.weight", "attn_v.weight"),
            Map.entry("self_attn.q_proj.bias", "attn_q.bias"),
            Map.entry("self_attn.k_proj.bias", "attn_k.bias"),
            Map.entry("self_attn.v_proj.bias", "attn_v.bias"),
            Map.entry("self_attn.o_proj.weight", "attn_output.weight"),
            Map.entry("mlp.gate_proj.weight", "ffn_gate.weight"),
            Map.entry("mlp.up_proj.weight", "ffn_up.weight"),
            Map.entry("mlp.down_proj.weight", "ffn_down.weight"),
            Map.entry("input_layernorm.weight", "attn_norm.weight"),
            Map.entry("post_attention_layernorm.weight", "ffn_norm.weight"));

    private final Path path;
    private final LlamaConfig config;
    private final TensorSource source;
    private final GgufFile gguf;
    private final Path tokenizerJson;
    private final Map<String, int[]> shapes; // HF name -> shape, for every LLaMA weight of the config
    private final Map<String, String> sourceNames = new LinkedHashMap<>(); // HF name -> source name, present ones
    private String sha256;

    private LlamaCheckpoint(Path path, LlamaConfig config, TensorSource source, GgufFile gguf, Path tokenizerJson,
            UnaryOperator<String> toSourceName) throws WeightFormatException {
        this.path = path;
        this.config = config;
        this.source = source;
        this.gguf = gguf;
        this.tokenizerJson = tokenizerJson;
        this.shapes = expectedShapes(config);
        for (String name : shapes.keySet()) {
            String sourceName = toSourceName.apply(name);
            if (source.hasTensor(sourceName)) {
                checkShape(name, sourceName, source.shape(sourceName));
                sourceNames.put(name, sourceName);
            } else if (!name.equals(LM_HEAD) || !config.tieWordEmbeddings()) {
                throw new WeightFormatException(path, "missing tensor '" + sourceName + "'"
                        + (sourceName.equals(name) ? "" : " (HF " + name + ")"));
            }
        }
    }

    /** Opens a {@code .gguf} file or a Hugging Face model directory. */
    public static LlamaCheckpoint open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return openHfDirectory(path);
        }
        if (!Files.isRegularFile(path)) {
            throw new WeightFormatException(path, "no such file or directory");
        }
        if (!path.getFileName().toString().endsWith(".gguf")) {
            throw new WeightFormatException(path, "expected a .gguf file or a directory with config.json");
        }
        GgufFile gguf = GgufFile.open(path);
        try {
            LlamaConfig config = ggufConfig(gguf);
            return new LlamaCheckpoint(path, config, gguf, gguf, null, LlamaCheckpoint::ggufName);
        } catch (IOException | RuntimeException e) {
            gguf.close();
            throw e;
        }
    }

    private static LlamaCheckpoint openHfDirectory(Path dir) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.exists(configFile)) {
            throw new WeightFormatException(dir, "no config.json in the model directory");
        }
        LlamaConfig config;
        try {
            config = LlamaConfig.fromHfConfig(new ObjectMapper().readTree(configFile.toFile()));
        } catch (IllegalArgumentException | IOException e) {
            throw new WeightFormatException(configFile, e.getMessage(), e);
        }
        SafetensorsShards shards = SafetensorsShards.open(dir);
        try {
            Path tokenizer = dir.resolve("tokenizer.json");
            return new LlamaCheckpoint(dir, config, shards, null, Files.exists(tokenizer) ? tokenizer : null,
                    UnaryOperator.identity());
        } catch (IOException | RuntimeException e) {
            shards.close();
            throw e;
        }
    }

    private static LlamaConfig ggufConfig(GgufFile gguf) throws WeightFormatException {
        Architecture architecture;
        try {
            architecture = Architecture.of(gguf.string("general.architecture"));
        } catch (IllegalArgumentException e) {
            throw new WeightFormatException(gguf.path(), "general.architecture: " + e.getMessage(), e);
        }
        String a = architecture.id() + "."; // the metadata keys' prefix
        String scaling = gguf.string(a + "rope.scaling.type", "none");
        if (!scaling.equals("none")) {
            throw new WeightFormatException(gguf.path(), a + "rope.scaling.type '" + scaling + "' is not supported");
        }
        int hidden = (int) gguf.integer(a + "embedding_length");
        int heads = (int) gguf.integer(a + "attention.head_count");
        long vocab = gguf.has(a + "vocab_size") ? gguf.integer(a + "vocab_size")
                : gguf.has("tokenizer.ggml.tokens") ? gguf.list("tokenizer.ggml.tokens").size()
                : gguf.shape("token_embd.weight")[0];
        long headDim = gguf.integer(a + "attention.key_length",
                gguf.integer(a + "rope.dimension_count", hidden / heads));
        try {
            return new LlamaConfig(
                    (int) vocab,
                    hidden,
                    (int) gguf.integer(a + "feed_forward_length"),
                    (int) gguf.integer(a + "block_count"),
                    heads,
                    (int) gguf.integer(a + "attention.head_count_kv", heads),
                    (int) headDim,
                    (float) gguf.real(a + "attention.layer_norm_rms_epsilon", 1e-5),
                    (float) gguf.real(a + "rope.freq_base", 10000.0),
                    (int) gguf.integer(a + "context_length", 2048),
                    !gguf.hasTensor(GGUF_OUTPUT),
                    architecture);
        } catch (IllegalArgumentException e) {
            throw new WeightFormatException(gguf.path(), e.getMessage(), e);
        }
    }

    /** llama.cpp's name of an HF LLaMA weight. */
    private static String ggufName(String hfName) {
        switch (hfName) {
            case EMBED:
                return "token_embd.weight";
            case NORM:
                return "output_norm.weight";
            case LM_HEAD:
                return GGUF_OUTPUT;
            default:
                String[] parts = hfName.split("\\.", 4); // model, layers, i, suffix
                return "blk." + parts[2] + "." + LAYER_NAMES.get(parts[3]);
        }
    }

    private static String layerPrefix(int layer) {
        return "model.layers." + layer + ".";
    }

    /** HF names and shapes of every LLaMA weight for this config, including {@code lm_head.weight}. */
    private static Map<String, int[]> expectedShapes(LlamaConfig c) {
        int h = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put(EMBED, new int[] {c.vocabSize(), h});
        for (int i = 0; i < c.numLayers(); i++) {
            String p = layerPrefix(i);
            shapes.put(p + "self_attn.q_proj.weight", new int[] {q, h});
            shapes.put(p + "self_attn.k_proj.weight", new int[] {kv, h});
            shapes.put(p + "self_attn.v_proj.weight", new int[] {kv, h});
            if (c.architecture().qkvBias()) {
                shapes.put(p + "self_attn.q_proj.bias", new int[] {q});
                shapes.put(p + "self_attn.k_proj.bias", new int[] {kv});
                shapes.put(p + "self_attn.v_proj.bias", new int[] {kv});
            }
            shapes.put(p + "self_attn.o_proj.weight", new int[] {h, q});
            shapes.put(p + "mlp.gate_proj.weight", new int[] {c.intermediateSize(), h});
            shapes.put(p + "mlp.up_proj.weight", new int[] {c.intermediateSize(), h});
            shapes.put(p + "mlp.down_proj.weight", new int[] {h, c.intermediateSize()});
            shapes.put(p + "input_layernorm.weight", new int[] {h});
            shapes.put(p + "post_attention_layernorm.weight", new int[] {h});
        }
        shapes.put(NORM, new int[] {h});
        shapes.put(LM_HEAD, new int[] {c.vocabSize(), h});
        return shapes;
    }

    private void checkShape(String name, String sourceName, int[] found) throws WeightFormatException {
        int[] expected = shapes.get(name);
        if (!Arrays.equals(expected, found)) {
            throw new WeightFormatException(path, "shape mismatch for tensor '" + sourceName + "'"
                    + (sourceName.equals(name) ? "" : " (HF " + name + ")") + ": expected " + Arrays.toString(expected)
                    + " from the config, found " + Arrays.toString(found));
        }
    }

    public Path path() {
        return path;
    }

    public LlamaConfig config() {
        return config;
    }

    /** HF names of the tensors present (no {@code lm_head.weight} when the embeddings are tied and it is absent). */
    public Set<String> tensorNames() {
        return sourceNames.keySet();
    }

    public boolean hasTensor(String hfName) {
        return sourceNames.containsKey(hfName);
    }

    /** Reads one tensor by its HF name, as F32 in HF layout; GGUF LLaMA Q/K projections are un-permuted. */
    public Tensor tensor(String hfName) throws IOException {
        String sourceName = sourceNames.get(hfName);
        if (sourceName == null) {
            String hint = hfName.equals(LM_HEAD) ? " (the LM head is tied: use " + EMBED + ")" : "";
            throw new WeightFormatException(path, "tensor '" + hfName + "' is not in this checkpoint" + hint);
        }
        Tensor tensor = source.read(sourceName);
        checkShape(hfName, sourceName, tensor.shape());
        float[] data = tensor.data();
        boolean permuted = gguf != null && config.architecture().ggufPermutesQk();
        if (permuted && hfName.endsWith("self_attn.q_proj.weight")) {
            data = unpermuteRows(data, tensor.shape()[0], tensor.shape()[1], config.numHeads());
        } else if (permuted && hfName.endsWith("self_attn.k_proj.weight")) {
            data = unpermuteRows(data, tensor.shape()[0], tensor.shape()[1], config.numKvHeads());
        }
        return new Tensor(hfName, tensor.shape(), data);
    }

    /**
     * Undoes llama.cpp's conversion permutation of Q/K rows: per head, HF's row {@code s * half + i} (first and second
     * rotary half) was stored at row {@code 2 * i + s}, i.e. {@code w.reshape(n_head, 2, half, cols).swapaxes(1, 2)},
     * so that GGML's interleaved RoPE pairs adjacent rows. HF's rotate_half RoPE wants the original order.
     */
    private static float[] unpermuteRows(float[] w, int rows, int cols, int heads) {
        int perHead = rows / heads;
        int half = perHead / 2;
        float[] out = new float[w.length];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                for (int s = 0; s < 2; s++) {
                    int stored = h * perHead + 2 * i + s;
                    int original = h * perHead + s * half + i;
                    System.arraycopy(w, stored * cols, out, original * cols, cols);
                }
            }
        }
        return out;
    }

    /** The GGUF file when the checkpoint is one (its metadata carries the tokenizer). */
    public Optional<GgufFile> gguf() {
        return Optional.ofNullable(gguf);
    }

    /** {@code tokenizer.json} of an HF directory, when present. */
    public Optional<Path> hfTokenizerJson() {
        return Optional.ofNullable(tokenizerJson);
    }

    /**
     * The model's tokenizer as a {@code tokenizer.json} document: the HF directory's file, or rebuilt from the GGUF
     * metadata.
     */
    public String tokenizerJson() throws IOException {
        if (tokenizerJson != null) {
            return Files.readString(tokenizerJson);
        }
        if (gguf != null) {
            return ByteLevelBpeJson.fromGgufMetadata(gguf.metadata());
        }
        throw new WeightFormatException(path, "no tokenizer.json next to the weights");
    }

    /** The weight files (the GGUF file, or the safetensors shards). */
    public List<Path> weightFiles() {
        return source.files();
    }

    /**
     * Every file {@link #open} reads: the GGUF file, or the directory's {@code config.json}, shard index (if any),
     * shards and {@code tokenizer.json} (if any). Copied into an empty directory they open as the same checkpoint.
     */
    public List<Path> files() {
        if (gguf != null) {
            return List.of(path);
        }
        List<Path> files = new ArrayList<>(List.of(path.resolve("config.json")));
        Path index = path.resolve(SafetensorsShards.INDEX_FILE);
        if (Files.exists(index)) {
            files.add(index);
        }
        files.addAll(weightFiles());
        if (tokenizerJson != null) {
            files.add(tokenizerJson);
        }
        return files;
    }

    /** SHA-256 (hex) of the bytes of all weight files, concatenated in {@link #weightFiles()} order; computed once. */
    public synchronized String sha256() throws IOException {
        if (sha256 == null) {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
            }
            byte[] buffer = new byte[1 << 20];
            for (Path file : weightFiles()) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
            sha256 = HexFormat.of().formatHex(digest.digest());
        }
        return sha256;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
