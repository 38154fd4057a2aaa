package ai.bellm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.Dropout;

/** A frozen projection plus a trainable low-rank update: y = x W^T + scale · dropout(x) A B. */
final class LoraProjection implements Projection {

    private final DenseProjection base;
    private final NDArray a; // [in, rank]
    private final NDArray b; // [rank, out]
    private final NDArray scale; // scalar NDArray: see ForwardContext on Java numbers in DJL ops
    private final float dropout;
    private volatile boolean training;

    LoraProjection(DenseProjection base, NDArray a, NDArray b, NDArray scale, float dropout) {
        this.base = base;
        this.a = a;
        this.b = b;
        this.scale = scale;
        this.dropout = dropout;
    }

    @Override
    public NDArray apply(NDArray x) {
        NDArray input = training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
        return base.apply(x).add(input.matMul(a).matMul(b).mul(scale));
    }

    @Override
    public DenseProjection base() {
        return base;
    }

    @Override
    public DenseProjection merged() {
        try (NDArray update = a.matMul(b); NDArray scaled = update.mul(scale)) {
            // in the base weight's (the model's) manager
            return new DenseProjection(base.weightInOut().add(scaled), base.bias());
        }
    }

    NDArray a() {
        return a;
    }

    NDArray b() {
        return b;
    }

    void setTraining(boolean training) {
        this.training = training;
    }
}
