package ai.bellm.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The score of the model truncated to its first {@code n} causal layers: Spearman and Pearson ×100 averaged over
 * the tasks (equal to the task's own with one task), and each task's score.
 */
public record LayerScore(int n, @JsonInclude(JsonInclude.Include.ALWAYS) Double spearman,
        @JsonInclude(JsonInclude.Include.ALWAYS) Double pearson, Map<String, TaskResult> tasks) {

    static LayerScore average(int n, Map<String, TaskResult> tasks) {
        return new LayerScore(n, Score.mean(tasks.values().stream().map(TaskResult::spearman).toList()),
                Score.mean(tasks.values().stream().map(TaskResult::pearson).toList()), tasks);
    }
}
