package ai.bellm.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Pearson and Spearman correlation of two samples.
 *
 * <p>Inputs must have the same length, at least two values, and finite values; otherwise an
 * {@link IllegalArgumentException}. A constant input has no defined correlation: the result is {@code NaN}
 * (as in SciPy), not an exception, because a collapsed model that gives every pair the same similarity is a
 * legitimate outcome of a degradation sweep and must be recorded rather than abort the run.
 */
public final class Correlation {

    private Correlation() {
    }

    public static double pearson(double[] x, double[] y) {
        validate(x, y);
        double meanX = Arrays.stream(x).average().orElseThrow();
        double meanY = Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - meanX;
            double dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        // Rounding can push |r| slightly above 1 for perfectly correlated data.
        return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
    }

    /** Pearson correlation of the ranks; tied values share the average of their ranks. */
    public static double spearman(double[] x, double[] y) {
        validate(x, y);
        return pearson(ranks(x), ranks(y));
    }

    /** 1-based ranks in ascending order; a group of tied values gets the mean of the ranks it spans. */
    static double[] ranks(double[] values) {
        Integer[] order = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        int start = 0;
        while (start < order.length) {
            int end = start;
            while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            double averageRank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) {
                ranks[order[k]] = averageRank;
            }
            start = end + 1;
        }
        return ranks;
    }

    private static void validate(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("samples differ in length: " + x.length + " vs " + y.length);
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("correlation needs at least 2 values, got " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("non-finite value at index " + i + ": (" + x[i] + ", " + y[i] + ")");
            }
        }
    }
}
