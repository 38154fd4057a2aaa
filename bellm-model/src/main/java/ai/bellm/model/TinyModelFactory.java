package ai.bellm.model;

import ai.bellm.tokenizer.ByteLevelAlphabet;
import ai.bellm.tokenizer.ByteLevelBpeJson;
import ai.bellm.weights.SafetensorsDtype;
import ai.bellm.weights.SafetensorsWriter;
import ai.bellm.weights.Tensor;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random LLaMA models of a small config, so that tests and demos run in seconds without downloading a model.
 * Weights are initialised like HF LLaMA (normal, std 0.02; norms at 1) and reproducible from the seed. The tokenizer
 * is byte-level BPE without merges: one token per UTF-8 byte, plus {@code <|endoftext|>}.
 */
public final class TinyModelFactory {

    /** 256 byte tokens and one control token. */
    public static final int BYTE_VOCAB_SIZE = 257;

    private TinyModelFactory() {
    }

    /** 4 layers, hidden 64, 4 query heads over 2 key/value heads, the byte-level vocabulary. */
    public static LlamaConfig tinyConfig() {
        return new LlamaConfig(BYTE_VOCAB_SIZE, 64, 128, 4, 4, 2, 16, 1e-5f, 10000f, 512, true,
                Architecture.LLAMA);
    }

    /** A random tiny model as an HF directory: {@code config.json}, {@code model.safetensors}, {@code tokenizer.json}. */
    public static Path writeHfDirectory(Path dir, long seed) throws IOException {
        LlamaConfig config = tinyConfig();
        return writeHfDirectory(dir, config, randomWeights(config, seed));
    }

    /** Writes {@code weights} (any subset: readers must notice what is missing) with config and byte tokenizer. */
    public static Path writeHfDirectory(Path dir, LlamaConfig config, Map<String, Tensor> weights) throws IOException {
        if (config.vocabSize() < BYTE_VOCAB_SIZE) {
            throw new IllegalArgumentException("the byte-level tokenizer needs a vocabulary of at least "
                    + BYTE_VOCAB_SIZE + ", the config has " + config.vocabSize());
        }
        Files.createDirectories(dir);
        ObjectMapper mapper = new ObjectMapper();
        mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config.toHfConfig(mapper));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), weights, SafetensorsDtype.F32, Map.of("format", "pt"));
        Files.writeString(dir.resolve("tokenizer.json"), byteTokenizerJson());
        return dir;
    }

    private static String byteTokenizerJson() {
        List<String> tokens = new ArrayList<>(BYTE_VOCAB_SIZE);
        List<Integer> types = new ArrayList<>(BYTE_VOCAB_SIZE);
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteLevelAlphabet.charOf(b)));
            types.add(ByteLevelBpeJson.NORMAL);
        }
        tokens.add("<|endoftext|>");
        types.add(ByteLevelBpeJson.CONTROL);
        return ByteLevelBpeJson.of(tokens, List.of(), types, "gpt2", java.util.OptionalInt.empty());
    }

    /** Every tensor the config needs, HF-named, F32. */
    public static Map<String, Tensor> randomWeights(LlamaConfig config, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int h = config.hiddenSize();
        int q = config.numHeads() * config.headDim();
        int kv = config.numKvHeads() * config.headDim();
        int ff = config.intermediateSize();
        put(tensors, normal("model.embed_tokens.weight", random, config.vocabSize(), h));
        for (int i = 0; i < config.numLayers(); i++) {
            put(tensors, normal(DecoderLayer.Proj.Q.weightName(i), random, q, h));
            put(tensors, normal(DecoderLayer.Proj.K.weightName(i), random, kv, h));
            put(tensors, normal(DecoderLayer.Proj.V.weightName(i), random, kv, h));
            if (config.architecture().qkvBias()) {
                put(tensors, normalVector(DecoderLayer.Proj.Q.biasName(i), random, q));
                put(tensors, normalVector(DecoderLayer.Proj.K.biasName(i), random, kv));
                put(tensors, normalVector(DecoderLayer.Proj.V.biasName(i), random, kv));
            }
            put(tensors, normal(DecoderLayer.Proj.O.weightName(i), random, h, q));
            put(tensors, normal(DecoderLayer.Proj.GATE.weightName(i), random, ff, h));
            put(tensors, normal(DecoderLayer.Proj.UP.weightName(i), random, ff, h));
            put(tensors, normal(DecoderLayer.Proj.DOWN.weightName(i), random, h, ff));
            put(tensors, ones("model.layers." + i + ".input_layernorm.weight", h));
            put(tensors, ones("model.layers." + i + ".post_attention_layernorm.weight", h));
        }
        put(tensors, ones("model.norm.weight", h));
        if (!config.tieWordEmbeddings()) {
            put(tensors, normal("lm_head.weight", random, config.vocabSize(), h));
        }
        return tensors;
    }

    private static void put(Map<String, Tensor> tensors, Tensor t) {
        tensors.put(t.name(), t);
    }

    private static Tensor normal(String name, SplittableRandom random, int rows, int cols) {
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (gaussian(random) * 0.02);
        }
        return new Tensor(name, new int[] {rows, cols}, data);
    }

    /** A bias: larger than the matrices' entries, so that a model that drops it shows it. */
    private static Tensor normalVector(String name, SplittableRandom random, int size) {
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = (float) (gaussian(random) * 0.5);
        }
        return new Tensor(name, new int[] {size}, data);
    }

    private static Tensor ones(String name, int size) {
        float[] data = new float[size];
        java.util.Arrays.fill(data, 1f);
        return new Tensor(name, new int[] {size}, data);
    }

    // Box-Muller: SplittableRandom has no nextGaussian on Java 17
    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
