package ai.bellm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.bellm.data.ScoredPair;
import ai.bellm.data.StsDataset;
import ai.bellm.metrics.Correlations;
import java.util.List;
import org.junit.jupiter.api.Test;

class StsScorerTest {

    private static final List<ScoredPair> PAIRS = List.of(
            new ScoredPair("a", "b", 1.0),
            new ScoredPair("b", "c", 4.0),
            new ScoredPair("a", "c", 2.5),
            new ScoredPair("d", "a", 0.5));

    @Test
    void embedsEachDistinctSentenceOnceInFirstSeenOrder() {
        StsScorer scorer = new StsScorer(StsDataset.of("t", PAIRS, 0));

        assertThat(scorer.sentences()).containsExactly("a", "b", "c", "d");
    }

    @Test
    void scoresThePairsCosinesAgainstTheGold() {
        StsScorer scorer = new StsScorer(StsDataset.of("t", PAIRS, 2));
        // 2-d vectors at angles 0, 60, 90 and 180 degrees
        float[][] vectors = {{1, 0}, {0.5f, 0.8660254f}, {0, 3}, {-2, 0}};
        double[] cosines = {0.5, 0.8660254, 0, -1};

        TaskResult result = scorer.score(vectors);

        Correlations expected = Correlations.of(new double[] {1.0, 4.0, 2.5, 0.5}, cosines);
        assertThat(result.spearman()).isCloseTo(expected.spearman() * 100, within(1e-9));
        assertThat(result.pearson()).isCloseTo(expected.pearson() * 100, within(1e-4));
        assertThat(result.pairs()).isEqualTo(4);
        assertThat(result.sentences()).isEqualTo(4);
        assertThat(result.skippedLines()).isEqualTo(2);
        assertThat(result.senteval()).isNull();
    }

    @Test
    void constantPredictionsGiveUndefinedScoresNotAnError() {
        StsScorer scorer = new StsScorer(StsDataset.of("t", PAIRS, 0));
        float[][] same = {{1, 1}, {1, 1}, {2, 2}, {3, 3}};

        TaskResult result = scorer.score(same);

        assertThat(result.spearman()).isNull();
        assertThat(result.pearson()).isNull();
    }

    @Test
    void rejectsVectorsThatDoNotMatchTheSentences() {
        StsScorer scorer = new StsScorer(StsDataset.of("t", PAIRS, 0));

        assertThatThrownBy(() -> scorer.score(new float[3][2])).hasMessage("3 embeddings for 4 sentences");
    }
}
