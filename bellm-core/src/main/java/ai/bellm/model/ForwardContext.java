package ai.bellm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;

/**
 * What every layer of one forward pass shares: the batch's scope, rotary tables, attention biases and scalar
 * constants. Scalars are NDArrays created in the batch's scope on purpose: DJL ops taking a Java {@code Number} wrap a
 * temporary buffer that autograd may read after a GC.
 */
final class ForwardContext {

    final NDManager scope;
    final NDArray cos;
    final NDArray sin;
    final NDArray rmsEps;
    final NDArray attentionScale;
    /** How the causal layers lay the batch out as token rows (see {@link PackedBatch}); null to keep it padded. */
    final PackedBatch.Layout packing;
    /** The states of the batch's prefix when kept from before (see {@link PrefixStates}); else null. */
    final PrefixStates cachedPrefix;
    /** When the prefix is computed in the batch: its rotary tables and causal bias (positions 0..P-1) ... */
    final NDArray prefixCos;
    final NDArray prefixSin;
    final NDArray prefixBias; // [1, 1, P, P]
    /** ... and when packed, those of the rest, whose queries (positions P..T-1) see the prefix's keys, then their own. */
    final NDArray restCos;
    final NDArray restSin;
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
        NDList tables = rope.tables(scope, batch.maxLength());
        this.cos = tables.get(0);
        this.sin = tables.get(1);
        this.rmsEps = scope.create(config.rmsNormEps());
        this.attentionScale = scope.create((float) (1.0 / Math.sqrt(config.headDim())));
        if (packing == null) {
            prefixCos = prefixSin = restCos = restSin = prefixBias = restBias = null;
            return;
        }
        int prefix = packing.prefixLength();
        NDIndex restRows = new NDIndex("{}:", prefix);
        restCos = cos.get(restRows);
        restSin = sin.get(restRows);
        NDArray causal = attentionBias(false);
        restBias = causal.get(new NDIndex(":, :, {}:", prefix));
        if (packing.prefixRows() > 0) {
            NDIndex prefixRows = new NDIndex(":{}", prefix);
            prefixCos = cos.get(prefixRows);
            prefixSin = sin.get(prefixRows);
            prefixBias = causal.get(new NDIndex("0:1, :, :{}, :{}", prefix, prefix));
        } else {
            prefixCos = prefixSin = prefixBias = null;
        }
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
