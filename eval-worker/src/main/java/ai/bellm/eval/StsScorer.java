package ai.bellm.eval;

import ai.bellm.data.Shard;
import ai.bellm.data.StsDataset;
import ai.bellm.metrics.Correlations;
import ai.bellm.metrics.PairSimilarity;
import ai.bellm.metrics.SentEvalScores;
import java.util.List;

/**
 * Scores embeddings on one STS data set: the caller embeds {@link #sentences()} (each distinct sentence once) and
 * hands the vectors to {@link #score}, which correlates the pairs' cosine similarities with the gold scores.
 */
final class StsScorer {

    private final StsDataset dataset;
    private final PairSimilarity pairs;

    StsScorer(StsDataset dataset) {
        this.dataset = dataset;
        this.pairs = new PairSimilarity(dataset.pairs());
    }

    StsDataset dataset() {
        return dataset;
    }

    /** The distinct sentences of the data set, to embed. */
    List<String> sentences() {
        return pairs.sentences();
    }

    /**
     * The scorer of {@code slice}'s pairs alone (a data shard of a sweep). Its score is the correlation over those
     * pairs, without SentEval's subsets: their concatenation, the "all" setting, is what a sweep scores.
     */
    StsScorer slice(Shard.Slice slice) {
        return new StsScorer(StsDataset.of(dataset.name(), slice.of(dataset.pairs()), 0));
    }

    /** The cosine of each pair, in pair order, from {@code vectors}: the embeddings of {@link #sentences()}. */
    double[] cosines(float[][] vectors) {
        return pairs.cosines(vectors);
    }

    /** Scores {@code vectors}, the embeddings of {@link #sentences()} in that order. */
    TaskResult score(float[][] vectors) {
        return score(cosines(vectors));
    }

    /** Scores the pairs' cosines {@code predicted}, in pair order. */
    TaskResult score(double[] predicted) {
        Correlations all;
        SentEvalDetail detail = null;
        if (dataset.subsets().isEmpty()) {
            all = Correlations.of(dataset.scores(), predicted);
        } else {
            SentEvalScores scores = SentEvalScores.compute(dataset, predicted);
            all = scores.all();
            detail = SentEvalDetail.of(scores);
        }
        Score score = Score.of(all);
        return new TaskResult(score.spearman(), score.pearson(), dataset.size(), pairs.sentences().size(),
                dataset.skippedLines(), detail);
    }
}
