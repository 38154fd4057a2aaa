package ai.bellm.model;

import ai.djl.ndarray.NDArray;

/** Root-mean-square layer norm: x / sqrt(mean(x^2) + eps) * weight, over the last dimension. */
record RmsNorm(NDArray weight) {

    NDArray apply(NDArray x, NDArray eps) {
        NDArray rms = x.square().mean(new int[] {-1}, true).add(eps).sqrt();
        return x.div(rms).mul(weight);
    }
}
