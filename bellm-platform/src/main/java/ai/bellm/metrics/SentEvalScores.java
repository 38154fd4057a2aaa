package ai.bellm.metrics;

import ai.bellm.data.ScoredPair;
import ai.bellm.data.StsDataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scores SentEval reports for one STS year (STS12–16), following SimCSE's SentEval {@code STSEval.run}:
 *
 * <ul>
 *   <li>{@code subsets}: Pearson and Spearman of each subset, with its number of pairs;</li>
 *   <li>{@code all}: the correlations over the concatenation of all subsets — the "all" setting, which is what
 *       SimCSE and later work (BeLLM included) report for STS12–16;</li>
 *   <li>{@code mean}: the plain mean of the per-subset correlations;</li>
 *   <li>{@code weightedMean}: their mean weighted by subset size ("wmean").</li>
 * </ul>
 * A {@code NaN} subset correlation (constant predictions) makes the means {@code NaN} too, on purpose.
 */
public record SentEvalScores(Map<String, SubsetScore> subsets, Correlations all, Correlations mean,
                             Correlations weightedMean) {

    /** Gold and predicted similarities of one subset, in the same pair order. */
    public record Subset(String name, double[] gold, double[] predicted) {
    }

    public record SubsetScore(int pairs, Correlations correlations) {
    }

    public SentEvalScores {
        subsets = Collections.unmodifiableMap(new LinkedHashMap<>(subsets));
    }

    public static SentEvalScores compute(List<Subset> subsets) {
        if (subsets.isEmpty()) {
            throw new IllegalArgumentException("no subsets to score");
        }
        Map<String, SubsetScore> scores = new LinkedHashMap<>();
        List<double[]> golds = new ArrayList<>();
        List<double[]> predictions = new ArrayList<>();
        double pearsonSum = 0, spearmanSum = 0, weightedPearson = 0, weightedSpearman = 0;
        int total = 0;
        for (Subset subset : subsets) {
            Correlations c = Correlations.of(subset.gold(), subset.predicted());
            if (scores.put(subset.name(), new SubsetScore(subset.gold().length, c)) != null) {
                throw new IllegalArgumentException("duplicate subset '" + subset.name() + "'");
            }
            golds.add(subset.gold());
            predictions.add(subset.predicted());
            int n = subset.gold().length;
            pearsonSum += c.pearson();
            spearmanSum += c.spearman();
            weightedPearson += n * c.pearson();
            weightedSpearman += n * c.spearman();
            total += n;
        }
        int count = subsets.size();
        return new SentEvalScores(scores,
                Correlations.of(concat(golds), concat(predictions)),
                new Correlations(pearsonSum / count, spearmanSum / count),
                new Correlations(weightedPearson / total, weightedSpearman / total));
    }

    /**
     * Scores a SentEval data set whose predicted similarities are given in the order of {@link StsDataset#pairs()},
     * i.e. subset after subset.
     */
    public static SentEvalScores compute(StsDataset dataset, double[] predicted) {
        if (dataset.subsets().isEmpty()) {
            throw new IllegalArgumentException("data set '" + dataset.name() + "' has no subsets (not SentEval)");
        }
        if (predicted.length != dataset.size()) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + dataset.size()
                    + " pairs of '" + dataset.name() + "'");
        }
        List<Subset> subsets = new ArrayList<>();
        int offset = 0;
        for (Map.Entry<String, List<ScoredPair>> subset : dataset.subsets().entrySet()) {
            List<ScoredPair> pairs = subset.getValue();
            double[] gold = pairs.stream().mapToDouble(ScoredPair::score).toArray();
            subsets.add(new Subset(subset.getKey(), gold, Arrays.copyOfRange(predicted, offset, offset + pairs.size())));
            offset += pairs.size();
        }
        return compute(subsets);
    }

    private static double[] concat(List<double[]> arrays) {
        return arrays.stream().flatMapToDouble(Arrays::stream).toArray();
    }
}
