package ai.bellm.metrics;

/** Pearson and Spearman of one evaluation; either may be {@code NaN} (see {@link Correlation}). */
public record Correlations(double pearson, double spearman) {

    public static Correlations of(double[] gold, double[] predicted) {
        return new Correlations(Correlation.pearson(gold, predicted), Correlation.spearman(gold, predicted));
    }
}
