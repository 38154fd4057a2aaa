package ai.bellm.model;

import ai.djl.ndarray.NDArray;

/** A linear map without bias, y = x W^T, applied to the last dimension of x. */
public interface Projection {

    NDArray apply(NDArray x);

    /** A plain projection over a weight stored transposed as [in, out], so that a forward needs no transpose. */
    static DenseProjection dense(NDArray weightInOut) {
        return new DenseProjection(weightInOut);
    }

    /** The base weight [in, out] of this projection (the wrapped one for an adapter). */
    DenseProjection base();

    /** y = x W^T with W^T held as [in, out]. */
    record DenseProjection(NDArray weightInOut) implements Projection {

        @Override
        public NDArray apply(NDArray x) {
            // x first: the product attaches to x's (per-batch) manager, not to the model's
            return x.matMul(weightInOut);
        }

        @Override
        public DenseProjection base() {
            return this;
        }
    }
}
