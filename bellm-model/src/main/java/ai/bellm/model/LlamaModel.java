package ai.bellm.model;

import ai.bellm.recipe.Pooling;
import ai.bellm.weights.Tensor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A LLaMA-architecture decoder on DJL (PyTorch engine), F32 (its projections optionally stored in BF16 for
 * embedding, see {@link #storeProjectionsIn}), with a per-layer attention mode.
 *
 * <p>Weights live in the model's own {@link NDManager}. A forward pass creates everything in the caller's scope
 * (a sub-manager per batch), which the caller closes once it has read the results. The model itself is read-only
 * during a forward, so one instance can serve batches one after another.
 */
public final class LlamaModel implements AutoCloseable {

    private final LlamaConfig config;
    private final NDManager manager;
    private final NDArray tokenEmbedding; // [V, H]
    private final List<DecoderLayer> layers;
    private final RmsNorm finalNorm;
    private final NDArray lmHeadInOut; // [H, V]
    private final RotaryEmbedding rope;
    private Precision precision = Precision.F32;

    private LlamaModel(LlamaConfig config, NDManager manager, NDArray tokenEmbedding, List<DecoderLayer> layers,
            NDArray finalNorm, NDArray lmHeadInOut) {
        this.config = config;
        this.manager = manager;
        this.tokenEmbedding = tokenEmbedding;
        this.layers = layers;
        this.finalNorm = new RmsNorm(finalNorm);
        this.lmHeadInOut = lmHeadInOut;
        this.rope = new RotaryEmbedding(config.headDim(), config.ropeTheta());
    }

    /**
     * Builds the model from F32 tensors named as in HF LLaMA checkpoints ({@code model.layers.0.self_attn.q_proj.weight},
     * ...). {@code lm_head.weight} is only read when embeddings are not tied.
     */
    public static LlamaModel fromTensors(LlamaConfig config, Function<String, Tensor> tensors, NDManager parent) {
        NDManager manager = parent.newSubManager();
        try {
            WeightLoader load = new WeightLoader(config, tensors, manager);
            NDArray embedding = load.matrix("model.embed_tokens.weight", config.vocabSize(), config.hiddenSize());
            List<DecoderLayer> layers = new ArrayList<>(config.numLayers());
            for (int i = 0; i < config.numLayers(); i++) {
                layers.add(load.decoderLayer(i));
            }
            NDArray finalNorm = load.vector("model.norm.weight", config.hiddenSize());
            NDArray lmHead = config.tieWordEmbeddings()
                    ? embedding.transpose() // a view sharing the embedding's storage
                    : load.transposedMatrix("lm_head.weight", config.vocabSize(), config.hiddenSize());
            return new LlamaModel(config, manager, embedding, List.copyOf(layers), finalNorm, lmHead);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public LlamaConfig config() {
        return config;
    }

    public int numLayers() {
        return layers.size();
    }

    public DecoderLayer layer(int index) {
        return layers.get(index);
    }

    public Precision precision() {
        return precision;
    }

    /**
     * Stores the projections of every layer in {@code target} for embedding, adapters merged into them. BF16 is one
     * way: the F32 weights are freed, so such a model only embeds (training it fails).
     */
    public void storeProjectionsIn(Precision target) {
        if (target == precision) {
            return;
        }
        if (target != Precision.BF16) {
            throw new IllegalStateException("projections stored in " + precision + " cannot go back to " + target);
        }
        for (DecoderLayer layer : layers) {
            for (DecoderLayer.Proj p : DecoderLayer.Proj.values()) {
                layer.setProjection(p, Bf16Projection.of(layer.projection(p)));
            }
        }
        precision = target;
    }

    /** The model's own manager (weights); trainable parameters created for this model belong here too. */
    public NDManager manager() {
        return manager;
    }

    /** Last hidden state [B, T, H] after all layers and the final norm. */
    public NDArray forward(NDManager scope, TokenBatch batch, LayerAttention attention) {
        ForwardContext ctx = context(scope, batch, attention, null);
        return finalNorm.apply(run(ctx, embed(ctx.inputIds()), 0, numLayers(), null), ctx.rmsEps);
    }

    /**
     * The final-normed hidden state [B, T, H] of the model truncated to n layers, for every n in
     * {@code firstN..lastN} (1-based, inclusive), all from one pass through the first {@code lastN} layers.
     * Element {@code n - firstN} of the result belongs to n.
     */
    public List<NDArray> forwardEachLayer(NDManager scope, TokenBatch batch, LayerAttention attention, int firstN,
            int lastN) {
        return forwardEachLayer(scope, batch, attention, firstN, lastN, null);
    }

    /**
     * {@link #forwardEachLayer(NDManager, TokenBatch, LayerAttention, int, int)}, taking the states of the prompt's
     * opening tokens from {@code promptPrefix} (from {@link #promptPrefixStates} with the same weights) instead of
     * computing them, when every sequence opens with them and the bottom layer is causal; null computes everything.
     */
    public List<NDArray> forwardEachLayer(NDManager scope, TokenBatch batch, LayerAttention attention, int firstN,
            int lastN, PromptPrefixStates promptPrefix) {
        if (firstN < 1 || lastN > numLayers() || firstN > lastN) {
            throw new IllegalArgumentException("layer counts " + firstN + ".." + lastN
                    + " are outside 1.." + numLayers());
        }
        ForwardContext ctx = context(scope, batch, attention, promptPrefix);
        List<NDArray> outputs = new ArrayList<>(lastN - firstN + 1);
        run(ctx, embed(ctx.inputIds()), 0, lastN, (n, hidden) -> {
            if (n >= firstN) {
                outputs.add(finalNorm.apply(hidden.get(), ctx.rmsEps));
            }
        });
        return outputs;
    }

    /**
     * The hidden state [B, T, H] after the first {@code layerCount} layers, without the final norm: the output of
     * frozen layers that a trainer computes once and feeds to {@link #forwardFrom} at every step.
     */
    public NDArray frozenLayersOutput(NDManager scope, TokenBatch batch, LayerAttention attention, int layerCount) {
        if (layerCount < 0 || layerCount > numLayers()) {
            throw new IllegalArgumentException(layerCount + " frozen layers are outside 0.." + numLayers());
        }
        ForwardContext ctx = context(scope, batch, attention, null);
        return run(ctx, embed(ctx.inputIds()), 0, layerCount, null);
    }

    /**
     * Runs layers {@code fromLayer..L-1} on a hidden state [B, T, H] (e.g. from {@link #frozenLayersOutput}) and applies the
     * final norm. Padding positions of {@code hidden} may hold anything: they are masked as keys and never pooled.
     */
    public NDArray forwardFrom(NDManager scope, NDArray hidden, TokenBatch batch, LayerAttention attention,
            int fromLayer) {
        if (fromLayer < 0 || fromLayer > numLayers()) {
            throw new IllegalArgumentException("start layer " + fromLayer + " is outside 0.." + numLayers());
        }
        attention.checkFits(numLayers());
        ForwardContext ctx = new ForwardContext(scope, batch, config, rope, attention, null, null);
        return finalNorm.apply(run(ctx, hidden, fromLayer, numLayers(), null), ctx.rmsEps);
    }

    /**
     * The states of a prompt's opening tokens {@code ids} after every layer run causally (see
     * {@link PromptPrefixStates}), for forwards of sequences that open with them. They live in the model's manager
     * until closed.
     */
    public PromptPrefixStates promptPrefixStates(int[] ids) {
        NDManager kept = manager.newSubManager();
        try (NDManager scope = manager.newSubManager()) {
            TokenBatch prefix = new TokenBatch(List.of(ids));
            ForwardContext ctx = new ForwardContext(scope, prefix, config, rope, LayerAttention.allCausal(), null, null);
            List<NDArray> hidden = new ArrayList<>(numLayers() + 1);
            List<Attention.KeysValues> keysValues = new ArrayList<>(numLayers());
            AttentionLayout keeping = ctx.causalKeeping(kv ->
                    keysValues.add(new Attention.KeysValues(keep(kv.keys(), kept), keep(kv.values(), kept))));
            NDArray state = embed(prefix.ids(scope));
            for (DecoderLayer layer : layers) {
                hidden.add(keep(state, kept));
                state = ForwardContext.scoped(scope, state, x -> layer.forward(x, ctx.rmsEps, keeping));
            }
            hidden.add(keep(state, kept));
            return new PromptPrefixStates(ids, kept, hidden, keysValues);
        } catch (RuntimeException e) {
            kept.close();
            throw e;
        }
    }

    private static NDArray keep(NDArray array, NDManager manager) {
        array.attach(manager);
        return array;
    }

    /**
     * A batch's context. The causal layers at the bottom run on the batch packed (see {@link PackedRows}): with the
     * prompt prefix's states from {@code promptPrefix} when that opens every sequence, else with the prefix the
     * sequences share computed once in the batch, when it holds more than one sequence.
     */
    private ForwardContext context(NDManager scope, TokenBatch batch, LayerAttention attention,
            PromptPrefixStates promptPrefix) {
        attention.checkFits(numLayers());
        PackedRows.Layout packing = null;
        PromptPrefixStates usable = null;
        if (!attention.isBidirectional(0)) {
            if (promptPrefix != null && promptPrefix.opens(batch)) {
                usable = promptPrefix;
                packing = batch.packedLayout(scope, promptPrefix.length(), false);
            } else if (batch.size() > 1) {
                packing = batch.packedLayout(scope, batch.sharedPrefixLength(), true);
            }
        }
        return new ForwardContext(scope, batch, config, rope, attention, packing, usable);
    }

    /** Sees the hidden state [B, T, H] after each layer n (1-based), made on demand. */
    private interface LayerOutputs {
        void accept(int n, Supplier<NDArray> hidden);
    }

    /**
     * Layers {@code from..to-1} on {@code hidden}, laid out as the context says for layer {@code from}; returns the
     * hidden state after them as padded sequences [B, T, H].
     */
    private NDArray run(ForwardContext ctx, NDArray hidden, int from, int to, LayerOutputs outputs) {
        for (int i = from; i < to; i++) {
            DecoderLayer layer = layers.get(i);
            AttentionLayout layout = ctx.layout(i);
            hidden = ForwardContext.scoped(ctx.scope, ctx.inputOf(i, hidden),
                    x -> layer.forward(x, ctx.rmsEps, layout));
            if (outputs != null) {
                NDArray current = hidden;
                int n = i + 1;
                outputs.accept(n, () -> ctx.padded(current, n));
            }
        }
        return ctx.padded(hidden, to);
    }

    /** Next-token logits [B, V] at each sequence's last real token, from a final-normed hidden state [B, T, H]. */
    public NDArray nextTokenLogits(NDArray normedHidden, TokenBatch batch) {
        NDArray last = Pooler.pool(Pooling.LAST_TOKEN, normedHidden, batch);
        return last.matMul(lmHeadInOut);
    }

    private NDArray embed(NDArray ids) {
        NDArray hidden = Embedding.embedding(ids, tokenEmbedding, SparseFormat.DENSE).singletonOrThrow();
        // keep the result in the batch scope whatever manager the engine picked
        hidden.attach(ids.getManager());
        return hidden;
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Turns checkpoint tensors into NDArrays of the expected shapes, linear weights transposed to [in, out]. */
    private record WeightLoader(LlamaConfig config, Function<String, Tensor> tensors, NDManager manager) {

        DecoderLayer decoderLayer(int i) {
            int h = config.hiddenSize();
            int qDim = config.numHeads() * config.headDim();
            int kvDim = config.numKvHeads() * config.headDim();
            int ff = config.intermediateSize();
            Projection[] projections = new Projection[DecoderLayer.Proj.values().length];
            for (DecoderLayer.Proj p : DecoderLayer.Proj.values()) {
                int[] outIn = switch (p) {
                    case Q -> new int[] {qDim, h};
                    case K, V -> new int[] {kvDim, h};
                    case O -> new int[] {h, qDim};
                    case GATE, UP -> new int[] {ff, h};
                    case DOWN -> new int[] {h, ff};
                };
                NDArray weight = transposedMatrix(p.weightName(i), outIn[0], outIn[1]);
                boolean biased = config.architecture().qkvBias() && (p == DecoderLayer.Proj.Q
                        || p == DecoderLayer.Proj.K || p == DecoderLayer.Proj.V);
                projections[p.ordinal()] = biased ? Projection.dense(weight, vector(p.biasName(i), outIn[0]))
                        : Projection.dense(weight);
            }
            String prefix = "model.layers." + i + ".";
            Attention attention = new Attention(config, projections[DecoderLayer.Proj.Q.ordinal()],
                    projections[DecoderLayer.Proj.K.ordinal()], projections[DecoderLayer.Proj.V.ordinal()],
                    projections[DecoderLayer.Proj.O.ordinal()]);
            Mlp mlp = new Mlp(projections[DecoderLayer.Proj.GATE.ordinal()], projections[DecoderLayer.Proj.UP.ordinal()],
                    projections[DecoderLayer.Proj.DOWN.ordinal()]);
            return new DecoderLayer(new RmsNorm(vector(prefix + "input_layernorm.weight", h)), attention,
                    new RmsNorm(vector(prefix + "post_attention_layernorm.weight", h)), mlp);
        }

        NDArray matrix(String name, int rows, int cols) {
            Tensor t = checked(name, rows, cols);
            return manager.create(t.data(), new Shape(rows, cols));
        }

        NDArray transposedMatrix(String name, int rows, int cols) {
            NDArray m = matrix(name, rows, cols);
            NDArray transposed = m.transpose().duplicate(); // contiguous [in, out]
            m.close();
            return transposed;
        }

        NDArray vector(String name, int size) {
            return manager.create(checked(name, size).data(), new Shape(size));
        }

        private Tensor checked(String name, int... shape) {
            Tensor t = tensors.apply(name);
            if (t == null) {
                throw new IllegalArgumentException("missing tensor " + name);
            }
            if (!Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(t.shape())
                        + ", the config needs " + Arrays.toString(shape));
            }
            return t;
        }
    }
}
