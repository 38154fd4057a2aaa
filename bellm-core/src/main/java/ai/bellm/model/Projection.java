package ai.bellm.model;

import ai.djl.ndarray.NDArray;

/** A linear map without bias, y = x W^T, applied to the last dimension of x. */
public interface Projection {

    NDArray apply(NDArray x);

    /** The frozen base weight, stored transposed as [in, out] so that a forward needs no transpose. */
    static Projection dense(NDArray weightInOut) {
        // x first: the product attaches to x's (per-batch) manager, not to the model's
        return x -> x.matMul(weightInOut);
    }
}
