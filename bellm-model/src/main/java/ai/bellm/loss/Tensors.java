package ai.bellm.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Constants and row operations shared by the losses.
 *
 * <p>Every constant is created in the manager of an activation ({@code like}) and with its data type: results of
 * NDArray ops attach to the first operand's manager, so constants must live in the batch's scope, and scalars must be
 * NDArrays because DJL's {@code Number} overloads can corrupt gradients after a GC (see VERIFIED.md).
 */
final class Tensors {

    /** Floor of a vector norm before dividing by it, as in {@code torch.nn.functional.normalize}. */
    private static final double NORM_FLOOR = 1e-12;

    private Tensors() {
    }

    static NDArray scalar(NDArray like, double value) {
        return like.getManager().create(value).toType(like.getDataType(), false);
    }

    static NDArray constant(NDArray like, double[] values, Shape shape) {
        return like.getManager().create(values, shape).toType(like.getDataType(), false);
    }

    /** The values of a (gold score) array as doubles, whatever its type. */
    static double[] values(NDArray array) {
        return array.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /** L2 norm of each row: [B, D] → [B]. */
    static NDArray rowNorms(NDArray x) {
        return x.square().sum(new int[] {1}).sqrt();
    }

    /** Norms (or products of norms) floored before dividing by them, so a zero vector gives 0, not NaN. */
    static NDArray floored(NDArray norms) {
        return norms.maximum(scalar(norms, NORM_FLOOR));
    }

    /** Each row divided by its L2 norm: [B, D] → [B, D]. */
    static NDArray unitRows(NDArray x) {
        return x.div(floored(rowNorms(x)).expandDims(1));
    }

    /** Cosine of row i of u with row i of v: [B, D] × [B, D] → [B]. */
    static NDArray rowCosines(NDArray u, NDArray v) {
        return unitRows(u).mul(unitRows(v)).sum(new int[] {1});
    }

    static void requirePairs(NDArray u, NDArray v) {
        if (u.getShape().dimension() != 2 || !u.getShape().equals(v.getShape())) {
            throw new IllegalArgumentException("expected two embedding matrices [B, D] of the same shape, got "
                    + u.getShape() + " and " + v.getShape());
        }
    }

    static void requireScores(NDArray u, NDArray gold) {
        if (gold.getShape().dimension() != 1 || gold.getShape().get(0) != u.getShape().get(0)) {
            throw new IllegalArgumentException("expected gold scores [" + u.getShape().get(0) + "], got "
                    + gold.getShape());
        }
    }
}
