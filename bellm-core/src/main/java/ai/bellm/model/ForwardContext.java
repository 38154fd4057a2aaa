package ai.bellm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

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
    private final TokenBatch batch;
    private NDArray causalBias;
    private NDArray bidirectionalBias;

    ForwardContext(NDManager scope, TokenBatch batch, LlamaConfig config, RotaryEmbedding rope) {
        this.scope = scope;
        this.batch = batch;
        NDList tables = rope.tables(scope, batch.maxLength());
        this.cos = tables.get(0);
        this.sin = tables.get(1);
        this.rmsEps = scope.create(config.rmsNormEps());
        this.attentionScale = scope.create((float) (1.0 / Math.sqrt(config.headDim())));
    }

    TokenBatch batch() {
        return batch;
    }

    /** The additive attention bias for a layer's mode, built once per forward. */
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
