package ai.bellm.eval;

import ai.bellm.data.ScoredPair;
import ai.bellm.data.StsDataset;
import ai.bellm.embed.Vectors;
import ai.bellm.metrics.Correlations;
import ai.bellm.metrics.SentEvalScores;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores embeddings on one STS data set. A sentence often occurs in several pairs, so the caller embeds only
 * {@link #sentences()} (each distinct sentence once, first-seen order) and hands the vectors to {@link #score}, which
 * takes the cosine similarity of each pair and correlates it with the gold scores.
 */
final class StsScorer {

    private final StsDataset dataset;
    private final List<String> sentences;
    private final int[] first;
    private final int[] second;

    StsScorer(StsDataset dataset) {
        this.dataset = dataset;
        Map<String, Integer> index = new LinkedHashMap<>();
        first = new int[dataset.size()];
        second = new int[dataset.size()];
        for (int i = 0; i < dataset.size(); i++) {
            ScoredPair pair = dataset.pairs().get(i);
            first[i] = index.computeIfAbsent(pair.s1(), s -> index.size());
            second[i] = index.computeIfAbsent(pair.s2(), s -> index.size());
        }
        sentences = List.copyOf(index.keySet());
    }

    StsDataset dataset() {
        return dataset;
    }

    /** The distinct sentences of the data set, to embed. */
    List<String> sentences() {
        return sentences;
    }

    /** Scores {@code vectors}, the embeddings of {@link #sentences()} in that order. */
    TaskResult score(float[][] vectors) {
        if (vectors.length != sentences.size()) {
            throw new IllegalArgumentException(vectors.length + " embeddings for " + sentences.size() + " sentences");
        }
        double[] predicted = new double[dataset.size()];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = Vectors.cosine(vectors[first[i]], vectors[second[i]]);
        }
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
        return new TaskResult(score.spearman(), score.pearson(), dataset.size(), sentences.size(),
                dataset.skippedLines(), detail);
    }
}
