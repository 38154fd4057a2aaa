package ai.bellm.model;

import ai.djl.ndarray.NDArray;

/** A linear map y = x W^T (+ b), applied to the last dimension of x. */
public interface Projection {

    NDArray apply(NDArray x);

    /** A plain projection over a weight stored transposed as [in, out], so that a forward needs no transpose. */
    static DenseProjection dense(NDArray weightInOut) {
        return new DenseProjection(weightInOut, null);
    }

    /** A projection with a bias [out] (Qwen2's queries, keys and values). */
    static DenseProjection dense(NDArray weightInOut, NDArray bias) {
        return new DenseProjection(weightInOut, bias);
    }

    /** The base weight [in, out] of this projection (the wrapped one for an adapter). */
    DenseProjection base();

    /** A plain projection computing what this one does (an adapter's update added to its base weight). */
    DenseProjection merged();

    /** y = x W^T + b with W^T held as [in, out]; {@code bias} null for none. */
    record DenseProjection(NDArray weightInOut, NDArray bias) implements Projection {

        @Override
        public NDArray apply(NDArray x) {
            // x first: the product attaches to x's (per-batch) manager, not to the model's
            NDArray y = x.matMul(weightInOut);
            return bias == null ? y : y.add(bias);
        }

        @Override
        public DenseProjection base() {
            return this;
        }

        @Override
        public DenseProjection merged() {
            return this;
        }
    }
}
