package ai.bellm.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * The ranking form CoSENT and the angle loss share: for similarities s [B] and gold scores y [B],
 * <pre>  loss = log(1 + Σ_{(i,j): y_i > y_j} exp(s_j − s_i))</pre>
 * i.e. every pair ranked higher by gold but scored lower by the model costs; ties form no pair.
 */
final class RankingLoss {

    /** Added to the differences of pairs that are not ordered, so that exp() makes them vanish. */
    private static final double MASKED = -1e12;

    private RankingLoss() {
    }

    /**
     * Computed stably as logsumexp over [0, D_11 .. D_BB] with D_ij = s_j − s_i + mask_ij, which is
     * {@code −logSoftmax([0, D])[0]}; the prepended 0 is the "1 +" of the formula.
     */
    static NDArray of(NDArray similarities, NDArray gold) {
        double[] y = Tensors.values(gold);
        int b = y.length;
        double[] mask = new double[b * b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                mask[i * b + j] = y[i] > y[j] ? 0 : MASKED;
            }
        }
        // D_ij = s_j − s_i: row i broadcasts s_i, column j broadcasts s_j
        NDArray differences = similarities.expandDims(0).sub(similarities.expandDims(1))
                .add(Tensors.constant(similarities, mask, new Shape(b, b)))
                .reshape(b * b);
        NDArray zero = Tensors.constant(similarities, new double[] {0}, new Shape(1));
        return NDArrays.concat(new NDList(zero, differences)).logSoftmax(0).get(0).neg();
    }
}
