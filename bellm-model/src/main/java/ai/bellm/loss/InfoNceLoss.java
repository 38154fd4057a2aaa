package ai.bellm.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * In-batch-negative InfoNCE (AnglE's {@code ibn} part): each anchor must pick its own partner among all candidates
 * of the batch,
 * <pre>  logits_ij = τ · cos(a_i, c_j),   loss = mean over anchors i of −log softmax_j(logits_i)[i]</pre>
 * with candidates c = [p ; n] (the partners, then the hard negatives if any).
 */
public final class InfoNceLoss {

    private InfoNceLoss() {
    }

    /** Positive pairs: anchors [B, D], positives [B, D]; the other rows' positives are the negatives. */
    public static NDArray pairs(NDArray anchors, NDArray positives, double tau) {
        Tensors.requirePairs(anchors, positives);
        return loss(anchors, positives, allRows(rows(anchors)), tau);
    }

    /** Triplets: as {@link #pairs} with every row's hard negative [B, D] added to the candidates (2B of them). */
    public static NDArray triplets(NDArray anchors, NDArray positives, NDArray negatives, double tau) {
        Tensors.requirePairs(anchors, positives);
        Tensors.requirePairs(anchors, negatives);
        NDArray candidates = NDArrays.concat(new NDList(positives, negatives), 0);
        return loss(anchors, candidates, allRows(rows(anchors)), tau);
    }

    /**
     * Scored pairs: only the pairs whose normalised gold score is at least {@code positiveThreshold} are anchors; all
     * partners of the batch are candidates. A batch without such a pair gives 0 (still attached to the graph, so a
     * backward pass through it works and yields zero gradients).
     *
     * @param positiveThreshold a fraction of the score range, e.g. 0.8: a score of at least 4 on STS-B's 0–5
     */
    public static NDArray scored(NDArray u, NDArray v, NDArray gold, ScoreRange range, double positiveThreshold,
                                 double tau) {
        Tensors.requirePairs(u, v);
        Tensors.requireScores(u, gold);
        double[] y = Tensors.values(gold);
        boolean[] anchors = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            anchors[i] = range.normalise(y[i]) >= positiveThreshold;
        }
        return loss(u, v, anchors, tau);
    }

    /**
     * −Σ_i w_i log softmax(logits_i)[i] with w_i = 1/(number of anchors) for anchor rows and 0 otherwise, computed as
     * one weighted sum over the [B, M] log-probabilities (no row selection, so the graph is the same for any mask).
     */
    private static NDArray loss(NDArray anchors, NDArray candidates, boolean[] isAnchor, double tau) {
        int b = rows(anchors);
        int m = rows(candidates);
        int count = 0;
        for (boolean anchor : isAnchor) {
            count += anchor ? 1 : 0;
        }
        double[] weights = new double[b * m];
        for (int i = 0; i < b; i++) {
            weights[i * m + i] = isAnchor[i] ? 1.0 / count : 0;
        }
        NDArray logits = Tensors.unitRows(anchors).matMul(Tensors.unitRows(candidates).transpose())
                .mul(Tensors.scalar(anchors, tau));
        return logits.logSoftmax(1).mul(Tensors.constant(anchors, weights, new Shape(b, m))).sum().neg();
    }

    private static int rows(NDArray x) {
        return Math.toIntExact(x.getShape().get(0));
    }

    private static boolean[] allRows(int b) {
        boolean[] all = new boolean[b];
        Arrays.fill(all, true);
        return all;
    }
}
