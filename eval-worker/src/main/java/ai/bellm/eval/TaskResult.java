package ai.bellm.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
/**
 * The score of one STS task (or one SentEval subset, then with pairs and scores only).
 *
 * @param spearman  ×100; for SentEval the "all" setting (correlation over the concatenated subsets)
 * @param sentences number of unique sentences embedded for the task
 * @param skippedLines data lines not turned into pairs (malformed under --skip-bad-lines; SentEval pairs without gold)
 * @param senteval  SentEval only: mean, weighted mean and per-subset scores
 */
public record TaskResult(@JsonInclude(JsonInclude.Include.ALWAYS) Double spearman,
        @JsonInclude(JsonInclude.Include.ALWAYS) Double pearson, int pairs, Integer sentences, Integer skippedLines,
        SentEvalDetail senteval) {
}
