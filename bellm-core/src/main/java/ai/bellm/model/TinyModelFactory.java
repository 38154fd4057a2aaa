package ai.bellm.model;

import ai.bellm.weights.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random LLaMA weights for a small config, so that tests and demos run in seconds without downloading a model.
 * Initialised like HF LLaMA (normal, std 0.02; norms at 1), reproducible from the seed.
 */
public final class TinyModelFactory {

    private TinyModelFactory() {
    }

    /** 4 layers, hidden 64, 4 query heads over 2 key/value heads, the given vocabulary size. */
    public static LlamaConfig tinyConfig(int vocabSize) {
        return new LlamaConfig(vocabSize, 64, 128, 4, 4, 2, 16, 1e-5f, 10000f, 512, true);
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
