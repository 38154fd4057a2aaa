package ai.bellm.metrics;

import java.util.List;

/**
 * One point of the degradation sweep: the score (Spearman) obtained with {@code layers} causal layers.
 * The score may be {@code NaN} (constant predictions).
 */
public record CurvePoint(int layers, double score) {

    public CurvePoint {
        if (layers < 0) {
            throw new IllegalArgumentException("number of layers must be >= 0, got " + layers);
        }
    }

    /** Fails unless the points are in strictly increasing order of layers. */
    static void requireStrictlyIncreasing(List<CurvePoint> curve, String what) {
        for (int i = 1; i < curve.size(); i++) {
            if (curve.get(i).layers() <= curve.get(i - 1).layers()) {
                throw new IllegalArgumentException(what + " must be sorted by layers without duplicates, but n="
                        + curve.get(i).layers() + " follows n=" + curve.get(i - 1).layers());
            }
        }
    }
}
