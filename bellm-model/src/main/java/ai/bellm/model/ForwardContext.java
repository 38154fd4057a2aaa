package ai.bellm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * What every layer of one forward pass shares: the batch's scope, rotary tables, attention biases and scalar
 * constants. Scalars are NDArrays created in the batch's scope on purpose: DJL ops taking a Java {@code Number} wrap a
 * temporary buffer that autograd may read after a GC.
 */
final class ForwardContext {

    final NDManager scope;
    /** Rotation of the padded layout's positions 0..T-1 ... */
    final RotaryEmbedding.Rotation rotation;
    /** ... and of the packed rows (null when not packed). */
    final RotaryEmbedding.Rotation rowRotation;
    final NDArray rmsEps;
    /** How the causal layers lay the batch out as token rows (see {@link PackedBatch}); null to keep it padded. */
    final PackedBatch.Layout packing;
    /** The states of the batch's prefix when kept from before (see {@link PrefixStates}); else null. */
    final PrefixStates cachedPrefix;
    /** When packed, the causal bias of the prefix rows (positions 0..P-1, null when the prefix is kept) ... */
    final NDArray prefixBias; // [1, 1, P, P]
    /** ... and that of the rest, whose queries (positions P..T-1) see the prefix's keys, then their own. */
    final NDArray restBias; // [B, 1, T-P, T]
    private final TokenBatch batch;
    private NDArray causalBias;
    private NDArray bidirectionalBias;

    /**
     * A forward's context; with a {@code packing}, the causal layers at the bottom run packed, with the prefix's
     * states from {@code cachedPrefix} when that is given (it must open every sequence of the batch).
     */
    ForwardContext(NDManager scope, TokenBatch batch, LlamaConfig config, RotaryEmbedding rope,
            PackedBatch.Layout packing, PrefixStates cachedPrefix) {
        this.scope = scope;
        this.batch = batch;
        this.packing = packing;
        this.cachedPrefix = cachedPrefix;
        double attentionScale = 1.0 / Math.sqrt(config.headDim());
        this.rotation = rope.rotation(scope, IntStream.range(0, batch.maxLength()).toArray(), attentionScale);
        this.rmsEps = scope.create(config.rmsNormEps());
        if (packing == null) {
            rowRotation = null;
            prefixBias = restBias = null;
            return;
        }
        rowRotation = rope.rotation(scope, batch.packedPositions(packing), attentionScale);
        int prefix = packing.prefixLength();
        NDArray causal = attentionBias(false);
        restBias = causal.get(new NDIndex(":, :, {}:", prefix));
        prefixBias = packing.prefixRows() > 0 ? causal.get(new NDIndex("0:1, :, :{}, :{}", prefix, prefix)) : null;
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
     * operand's manager, which for kept states ({@link PrefixStates}) is the model's and would keep every batch's copy.
     */
    static NDArray broadcastIn(NDManager scope, NDArray array, Shape shape) {
        NDArray result = array.broadcast(shape);
        result.attach(scope);
        return result;
    }

    TokenBatch batch() {
        return batch;
    }

    /** The additive attention bias [B, 1, T, T] for a layer's mode, built once per forward. */
    NDArray attentionBias(boolean bidirectional) {
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
