package ai.bellm.eval;

import java.util.Map;

/** What {@code bellm evaluate} writes: per-task scores and the average Spearman ×100 over the tasks. */
public record EvaluationResult(String model, Settings settings, Map<String, TaskResult> tasks, Double average) {
}
