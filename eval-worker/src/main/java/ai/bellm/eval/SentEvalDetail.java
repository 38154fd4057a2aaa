package ai.bellm.eval;

import ai.bellm.metrics.SentEvalScores;
import java.util.LinkedHashMap;
import java.util.Map;

/** The SentEval scores besides "all": the plain and size-weighted means over subsets, and each subset's score. */
public record SentEvalDetail(Score mean, Score wmean, Map<String, TaskResult> subsets) {

    static SentEvalDetail of(SentEvalScores scores) {
        Map<String, TaskResult> subsets = new LinkedHashMap<>();
        scores.subsets().forEach((name, s) -> {
            Score score = Score.of(s.correlations());
            subsets.put(name, new TaskResult(score.spearman(), score.pearson(), s.pairs(), null, null, null));
        });
        return new SentEvalDetail(Score.of(scores.mean()), Score.of(scores.weightedMean()), subsets);
    }
}
