package ai.bellm.model;

import ai.bellm.model.Attention.KeysValues;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * What every layer of one forward pass shares: the batch's scope, the layout of its tokens per layer (rotary tables
 * and attention biases), scalar constants. Scalars are NDArrays created in the batch's scope on purpose: DJL ops
 * taking a Java {@code Number} wrap a temporary buffer that autograd may read after a GC.
 */
final class ForwardContext {

    final NDManager scope;
    final NDArray rmsEps;
    private final TokenBatch batch;
    private final LayerAttention attention;
    /** The rotation of the padded layout's positions 0..T-1. */
    private final RotaryEmbedding.Rotation rotation;
    /** The causal layers at the bottom as packed rows; null to keep the batch padded throughout. */
    private final PackedRows packed;
    private NDArray causalBias;
    private NDArray bidirectionalBias;

    /**
     * A forward's context; with a {@code packing}, the causal layers at the bottom run as {@link PackedRows}, with the
     * prefix's states from {@code kept} when that is given (it must open every sequence of the batch).
     */
    ForwardContext(NDManager scope, TokenBatch batch, LlamaConfig config, RotaryEmbedding rope,
            LayerAttention attention, PackedRows.Layout packing, PromptPrefixStates kept) {
        this.scope = scope;
        this.batch = batch;
        this.attention = attention;
        double attentionScale = 1.0 / Math.sqrt(config.headDim());
        this.rotation = rope.rotation(scope, IntStream.range(0, batch.maxLength()).toArray(), attentionScale);
        this.rmsEps = scope.create(config.rmsNormEps());
        if (packing == null) {
            packed = null;
            return;
        }
        RotaryEmbedding.Rotation rowRotation = rope.rotation(scope, batch.packedPositions(packing), attentionScale);
        int prefix = packing.prefixLength();
        NDArray causal = attentionBias(false);
        NDArray restBias = causal.get(new NDIndex(":, :, {}:", prefix));
        NDArray prefixBias = packing.prefixRows() > 0
                ? causal.get(new NDIndex("0:1, :, :{}, :{}", prefix, prefix)) : null;
        packed = new PackedRows(packing, rowRotation, prefixBias, restBias, kept);
    }

    /**
     * {@code step(input)}, with everything the step creates on the way freed when it returns and its result kept in
     * {@code owner}. PyTorch frees a tensor when its last reference goes, so the allocator hands the next step memory
     * that is still in the cache; without scoping, every intermediate of a forward would live until the batch ends and
     * each op would write to fresh pages. Autograd holds on to what backward needs by itself.
     */
    static NDArray scoped(NDManager owner, NDArray input, UnaryOperator<NDArray> step) {
        try (NDManager stepScope = owner.newSubManager()) {
            input.tempAttach(stepScope); // ops attach their results to their first operand's manager
            NDArray result = step.apply(input);
            result.attach(owner);
            return result;
        }
    }

    /**
     * {@code array} broadcast to {@code shape}, the result in {@code scope}: an op's result goes to its first
     * operand's manager, which for kept states ({@link PromptPrefixStates}) is the model's and would keep every batch's
     * copy.
     */
    static NDArray broadcastIn(NDManager scope, NDArray array, Shape shape) {
        NDArray result = array.broadcast(shape);
        result.attach(scope);
        return result;
    }

    /** The batch's token ids as the first layer takes them: packed rows, or padded sequences [B, T]. */
    NDArray inputIds() {
        return packed == null ? batch.ids(scope) : batch.packedIds(scope, packed.layout());
    }

    /** How layer {@code layer} attends: over the packed rows while the bottom layers are causal, else padded. */
    AttentionLayout layout(int layer) {
        return isPacked(layer) ? packed.forLayer(layer)
                : new PaddedSequences(rotation, attentionBias(attention.isBidirectional(layer)));
    }

    /** Causal padded sequences whose every layer hands its keys and values to {@code keep}. */
    AttentionLayout causalKeeping(Consumer<KeysValues> keep) {
        return new PaddedSequences(rotation, attentionBias(false), keep);
    }

    /** The hidden state after {@code layer} layers as layer {@code layer} takes it: joined where packing ends. */
    NDArray inputOf(int layer, NDArray hidden) {
        return packedAfter(layer) && !isPacked(layer) ? packed.joined(hidden, layer) : hidden;
    }

    /** The hidden state after {@code layers} layers as padded sequences [B, T, H]. */
    NDArray padded(NDArray hidden, int layers) {
        return packedAfter(layers) ? packed.joined(hidden, layers) : hidden;
    }

    /** Whether layer {@code layer} runs on packed rows: the causal layers at the bottom of a packed forward. */
    private boolean isPacked(int layer) {
        return packed != null && !attention.isBidirectional(layer);
    }

    /** Whether the hidden state after {@code layers} layers is packed rows (the embeddings are, in a packed forward). */
    private boolean packedAfter(int layers) {
        return packed != null && (layers == 0 || isPacked(layers - 1));
    }

    /** The additive attention bias [B, 1, T, T] for a layer's mode, built once per forward. */
    private NDArray attentionBias(boolean bidirectional) {
        if (bidirectional) {
            if (bidirectionalBias == null) {
                bidirectionalBias = batch.attentionBias(scope, false);
            }
            return bidirectionalBias;
        }
        if (causalBias == null) {
            causalBias = batch.attentionBias(scope, true);
        }
        return causalBias;
    }
}
