package ai.bellm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;

/**
 * A projection whose weight is held once in BF16, [out, in] as oneDNN's BF16 GEMM wants it, for inference: y = x W^T
 * + b with x, b and y in F32 ({@link Bf16Kernels}). The F32 weight it came from is freed; the BF16 one is freed with
 * the model's manager.
 */
final class Bf16Projection implements Projection, AutoCloseable {

    private final long weightOutIn;
    private final NDArray bias;

    private Bf16Projection(long weightOutIn, NDArray bias) {
        this.weightOutIn = weightOutIn;
        this.bias = bias;
    }

    /** {@code projection} with its adapters merged, stored in BF16; the F32 weight matrices it held are closed. */
    static Bf16Projection of(Projection projection) {
        Bf16Kernels.load();
        DenseProjection dense = projection.merged();
        long weight = Bf16Kernels.toBf16OutIn(((PtNDArray) dense.weightInOut()).getHandle());
        Bf16Projection converted = new Bf16Projection(weight, dense.bias());
        dense.weightInOut().getManager().attachInternal("bf16-" + weight, converted);
        dense.weightInOut().close();
        if (projection instanceof LoraProjection adapter) {
            adapter.base().weightInOut().close();
            adapter.a().close();
            adapter.b().close();
        }
        return converted;
    }

    @Override
    public NDArray apply(NDArray x) {
        long y = Bf16Kernels.linear(((PtNDArray) x).getHandle(), weightOutIn,
                bias == null ? 0 : ((PtNDArray) bias).getHandle());
        return new PtNDArray((PtNDManager) x.getManager(), y); // in x's (per-batch) manager, as DenseProjection's
    }

    @Override
    public DenseProjection base() {
        throw new UnsupportedOperationException("a projection stored in BF16 only embeds; load the model in F32 to"
                + " train it");
    }

    @Override
    public DenseProjection merged() {
        throw new UnsupportedOperationException("a projection stored in BF16 has no F32 weights left to merge");
    }

    @Override
    public void close() {
        Bf16Kernels.free(weightOutIn);
    }
}
