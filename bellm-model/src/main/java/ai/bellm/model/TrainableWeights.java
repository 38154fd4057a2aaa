package ai.bellm.model;

import ai.bellm.weights.Tensor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The weights a training run updates, everything else frozen: LoRA adapters on chosen projections and layers, and/or
 * every weight of the top layers (full fine-tuning from {@code fullTuneFrom}).
 *
 * <p>Names follow the checkpoints people exchange: adapters as PEFT writes them
 * ({@code model.layers.3.self_attn.q_proj.lora_A.weight} [rank, in] and {@code lora_B} [out, rank]), tuned layers as
 * HF LLaMA ({@code model.layers.3.mlp.up_proj.weight} [out, in]). Inside, projections keep the model's [in, out] layout;
 * {@link #export()} and {@link #load(Map)} convert.
 */
public final class TrainableWeights {

    private final LlamaModel model;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final Map<String, LoraProjection> adapters = new LinkedHashMap<>();
    private final int firstTrainableLayer;

    private TrainableWeights(LlamaModel model, int firstTrainableLayer) {
        this.model = model;
        this.firstTrainableLayer = firstTrainableLayer;
    }

    /**
     * Makes the chosen weights of {@code model} trainable: wraps projections with adapters (A uniform in
     * ±1/sqrt(in) like PEFT's Kaiming init, B zero, from {@code seed}) and marks tuned layers' weights.
     *
     * @param fullTuneFrom first layer whose weights all train; {@code numLayers} for none
     */
    public static TrainableWeights attach(LlamaModel model, Optional<LoraConfig> lora, int fullTuneFrom, long seed) {
        int layers = model.numLayers();
        if (fullTuneFrom < 0 || fullTuneFrom > layers) {
            throw new IllegalArgumentException("full fine-tuning from layer " + fullTuneFrom + " is outside 0.."
                    + layers);
        }
        lora.ifPresent(c -> {
            if (c.lastLayer() >= layers) {
                throw new IllegalArgumentException("LoRA layers " + c.firstLayer() + ".." + c.lastLayer()
                        + " go beyond the model's " + layers + " layers");
            }
        });
        int first = Math.min(fullTuneFrom, lora.map(LoraConfig::firstLayer).orElse(layers));
        if (first == layers) {
            throw new IllegalArgumentException("nothing to train: give LoRA targets or layers to fine-tune");
        }
        TrainableWeights trainable = new TrainableWeights(model, first);
        for (int i = fullTuneFrom; i < layers; i++) {
            trainable.tuneLayer(i);
        }
        lora.ifPresent(c -> trainable.addAdapters(c, new SplittableRandom(seed)));
        return trainable;
    }

    /** Layers below this index are frozen: their output can be computed once and cached. */
    public int firstTrainableLayer() {
        return firstTrainableLayer;
    }

    /** Trainable arrays by name, in a stable order (the optimizer keys its state by these names). */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /** Weight decay applies to matrices, never to norm gains or biases. */
    public static boolean decays(String name) {
        return !name.endsWith("norm.weight") && !name.endsWith(".bias");
    }

    /**
     * Lets autograd track the trainable weights. Call it after {@link #load(Map)}: PyTorch warns when a tensor that
     * requires gradients is overwritten, and a loaded model that only embeds needs no gradients at all.
     */
    public void requireGradients() {
        parameters.values().forEach(p -> p.setRequiresGradient(true));
    }

    /** Switches adapter dropout on (training) or off (evaluation). */
    public void setTraining(boolean training) {
        adapters.values().forEach(a -> a.setTraining(training));
    }

    public long parameterCount() {
        return parameters.values().stream().mapToLong(NDArray::size).sum();
    }

    /** The trainable weights in exchange layout (see class comment), F32. */
    public Map<String, Tensor> export() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        parameters.forEach((name, array) -> {
            NDArray exchange = isStoredTransposed(name) ? array.transpose() : array;
            int[] shape = java.util.Arrays.stream(exchange.getShape().getShape()).mapToInt(Math::toIntExact).toArray();
            tensors.put(name, new Tensor(name, shape, exchange.toFloatArray()));
            if (exchange != array) {
                exchange.close();
            }
        });
        return tensors;
    }

    /** Overwrites the trainable weights with {@code tensors} (as {@link #export()} wrote them); all must be there. */
    public void load(Map<String, Tensor> tensors) {
        parameters.forEach((name, array) -> {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("trained weights lack " + name);
            }
            long[] exchangeShape = isStoredTransposed(name)
                    ? new long[] {array.getShape().get(1), array.getShape().get(0)} : array.getShape().getShape();
            if (!java.util.Arrays.equals(t.shapeAsLong(), exchangeShape)) {
                throw new IllegalArgumentException("trained weight " + name + " has shape "
                        + java.util.Arrays.toString(t.shape()) + ", expected "
                        + java.util.Arrays.toString(exchangeShape));
            }
            // swap in new storage laid out as the attached array is (set() would go through a deprecated PyTorch
            // mode that warns on stderr): a product's rounding depends on its operands' memory layout
            array.intern(laidOutLike(name, t));
        });
    }

    /**
     * {@code t} (exchange layout) as the array registered under {@code name} holds it: adapters are created
     * row-major [in, rank] / [rank, out], so their transposes are made row-major here too; a tuned projection keeps
     * the checkpoint's [out, in] storage seen as [in, out] (the model loader's transposed copy).
     */
    private NDArray laidOutLike(String name, Tensor t) {
        float[] data = t.data();
        long[] shape = t.shapeAsLong();
        boolean adapter = isAdapter(name);
        if (adapter) {
            data = transposed(data, Math.toIntExact(shape[0]), Math.toIntExact(shape[1]));
            shape = new long[] {shape[1], shape[0]};
        }
        // created arrays may wrap a Java buffer that only they keep alive: hand over a copy that owns its storage
        try (NDArray loaded = model.manager().create(data, new Shape(shape))) {
            return isStoredTransposed(name) && !adapter ? loaded.transpose().duplicate() : loaded.duplicate();
        }
    }

    /** A row-major [rows, cols] matrix as its row-major transpose [cols, rows]. */
    private static float[] transposed(float[] matrix, int rows, int cols) {
        float[] out = new float[matrix.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = matrix[r * cols + c];
            }
        }
        return out;
    }

    private void tuneLayer(int i) {
        DecoderLayer layer = model.layer(i);
        for (DecoderLayer.Proj p : DecoderLayer.Proj.values()) {
            Projection.DenseProjection base = layer.projection(p).base();
            register(p.weightName(i), base.weightInOut());
            if (base.bias() != null) {
                register(p.biasName(i), base.bias());
            }
        }
        register("model.layers." + i + ".input_layernorm.weight", layer.inputNormWeight());
        register("model.layers." + i + ".post_attention_layernorm.weight", layer.postAttentionNormWeight());
    }

    private void addAdapters(LoraConfig config, SplittableRandom random) {
        NDManager manager = model.manager();
        NDArray scale = manager.create(config.scale());
        for (int i = config.firstLayer(); i <= config.lastLayer(); i++) {
            DecoderLayer layer = model.layer(i);
            for (DecoderLayer.Proj p : DecoderLayer.Proj.values()) {
                if (!config.targets().contains(p)) {
                    continue;
                }
                Projection.DenseProjection base = layer.projection(p).base();
                long in = base.weightInOut().getShape().get(0);
                long out = base.weightInOut().getShape().get(1);
                float bound = (float) (1.0 / Math.sqrt(in));
                float[] init = new float[Math.toIntExact(in * config.rank())];
                for (int k = 0; k < init.length; k++) {
                    init[k] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
                NDArray a = manager.create(init, new Shape(in, config.rank()));
                NDArray b = manager.zeros(new Shape(config.rank(), out));
                LoraProjection adapter = new LoraProjection(base, a, b, scale, config.dropout());
                layer.setProjection(p, adapter);
                String prefix = p.weightName(i).replace(".weight", "");
                adapters.put(prefix, adapter);
                register(prefix + ".lora_A.weight", a);
                register(prefix + ".lora_B.weight", b);
            }
        }
    }

    private void register(String name, NDArray array) {
        parameters.put(name, array);
    }

    /** Matrices held [in, out] inside but exchanged as [out, in] (PyTorch's nn.Linear layout). */
    private static boolean isStoredTransposed(String name) {
        return name.endsWith("_proj.weight") || isAdapter(name);
    }

    private static boolean isAdapter(String name) {
        return name.endsWith(".lora_A.weight") || name.endsWith(".lora_B.weight");
    }
}
