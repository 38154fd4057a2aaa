package ai.bellm.eval;

import ai.bellm.metrics.Correlations;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Spearman and Pearson ×100, the scale papers report. {@code null} stands for an undefined correlation (constant
 * predictions, e.g. a collapsed truncated model), because JSON has no NaN.
 */
public record Score(@JsonInclude(JsonInclude.Include.ALWAYS) Double spearman,
        @JsonInclude(JsonInclude.Include.ALWAYS) Double pearson) {

    static Score of(Correlations c) {
        return new Score(percent(c.spearman()), percent(c.pearson()));
    }

    static Double percent(double raw) {
        return Double.isNaN(raw) ? null : raw * 100;
    }

    /** The value as a double, NaN for null: for arithmetic on scores read back from JSON. */
    static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    /** Mean of the values, null if any is null (an undefined score makes the average undefined, on purpose). */
    static Double mean(Iterable<Double> values) {
        double sum = 0;
        int count = 0;
        for (Double v : values) {
            if (v == null) {
                return null;
            }
            sum += v;
            count++;
        }
        return count == 0 ? null : sum / count;
    }

    /** For tables: two decimals, or {@code n/a}. */
    static String format(Double score) {
        return score == null ? "n/a" : String.format("%.2f", score);
    }
}
