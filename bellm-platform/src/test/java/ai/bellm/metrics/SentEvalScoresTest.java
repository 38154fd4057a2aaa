package ai.bellm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.bellm.data.ScoredPair;
import ai.bellm.data.StsDataset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SentEvalScoresTest {

    @Test
    void allSettingCorrelatesTheConcatenation() {
        // Each subset is perfectly correlated, but their scales disagree:
        // all: gold 0 1 4 5 vs predicted 10 11 0 1.
        // Pearson: dx = -2.5 -1.5 1.5 2.5, dy = 4.5 5.5 -5.5 -4.5; sxy = -39, sxx = 17, syy = 101 => -39 / sqrt(1717)
        // Spearman: ranks 1 2 3 4 vs 3 4 1 2, sum d^2 = 16 => 1 - 6*16 / (4*15) = -0.6
        SentEvalScores scores = SentEvalScores.compute(List.of(
                new SentEvalScores.Subset("a", new double[] {0, 1}, new double[] {10, 11}),
                new SentEvalScores.Subset("b", new double[] {4, 5}, new double[] {0, 1})));

        assertThat(scores.all().pearson()).isCloseTo(-39 / Math.sqrt(1717), within(1e-12));
        assertThat(scores.all().spearman()).isCloseTo(-0.6, within(1e-12));
        assertThat(scores.mean()).isEqualTo(new Correlations(1, 1));
        assertThat(scores.subsets().keySet()).containsExactly("a", "b");
        assertThat(scores.subsets().get("b").pairs()).isEqualTo(2);
    }

    @Test
    void weightedMeanWeighsBySubsetSize() {
        // subset a (2 pairs): r = rho = 1; subset b (5 pairs): see CorrelationTest, r = 6/sqrt(60), rho = 7/sqrt(90)
        SentEvalScores scores = SentEvalScores.compute(List.of(
                new SentEvalScores.Subset("a", new double[] {1, 2}, new double[] {3, 4}),
                new SentEvalScores.Subset("b", new double[] {2, 4, 5, 4, 5}, new double[] {1, 2, 3, 4, 5})));

        double r = 6 / Math.sqrt(60);
        double rho = 7 / Math.sqrt(90);
        assertThat(scores.mean().pearson()).isCloseTo((1 + r) / 2, within(1e-12));
        assertThat(scores.mean().spearman()).isCloseTo((1 + rho) / 2, within(1e-12));
        assertThat(scores.weightedMean().pearson()).isCloseTo((2 + 5 * r) / 7, within(1e-12));
        assertThat(scores.weightedMean().spearman()).isCloseTo((2 + 5 * rho) / 7, within(1e-12));
    }

    @Test
    void scoresADataSetSubsetBySubset() {
        Map<String, List<ScoredPair>> subsets = new LinkedHashMap<>();
        subsets.put("x", List.of(new ScoredPair("a", "b", 0), new ScoredPair("c", "d", 1)));
        subsets.put("y", List.of(new ScoredPair("e", "f", 4), new ScoredPair("g", "h", 5)));
        StsDataset data = StsDataset.ofSubsets("STS99", subsets, 0);

        SentEvalScores scores = SentEvalScores.compute(data, new double[] {10, 11, 0, 1});

        assertThat(scores.all().spearman()).isCloseTo(-0.6, within(1e-12));
        assertThat(scores.subsets().get("y").correlations()).isEqualTo(new Correlations(1, 1));
        assertThatThrownBy(() -> SentEvalScores.compute(data, new double[] {1, 2, 3}))
                .hasMessage("3 predictions for 4 pairs of 'STS99'");
        StsDataset plain = StsDataset.of("stsb", subsets.get("x"), 0);
        assertThatThrownBy(() -> SentEvalScores.compute(plain, new double[] {1, 2}))
                .hasMessage("data set 'stsb' has no subsets (not SentEval)");
    }

    @Test
    void constantPredictionsInASubsetMakeTheMeansNaN() {
        SentEvalScores scores = SentEvalScores.compute(List.of(
                new SentEvalScores.Subset("a", new double[] {1, 2, 3}, new double[] {5, 5, 5}),
                new SentEvalScores.Subset("b", new double[] {1, 2}, new double[] {1, 2})));

        assertThat(scores.mean().spearman()).isNaN();
        assertThat(scores.weightedMean().pearson()).isNaN();
        assertThat(scores.all().spearman()).isFinite();
    }
}
