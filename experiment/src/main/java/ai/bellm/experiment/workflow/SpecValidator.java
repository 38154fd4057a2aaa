package ai.bellm.experiment.workflow;

import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.data.TaskSpec;
import ai.bellm.layers.LayerRange;
import ai.bellm.recipe.PromptTemplate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the API server's schema cannot check: data specs, layer ranges against each other, the prompt, the promotion
 * metric against what the evaluation logs. Each problem reads {@code <field>: <what is wrong>}. The admission
 * webhook refuses a spec with problems; an experiment admitted without the webhook fails before any step starts.
 * (A layer range beyond the model is found by the sweep itself, which reads the model.)
 */
public final class SpecValidator {

    private SpecValidator() {
    }

    public static List<String> problems(BeLLMExperimentSpec spec) {
        List<String> problems = new ArrayList<>();
        tasks("data.train", spec.data.train, problems);
        Optional<List<TaskSpec>> evaluation = tasks("data.eval", spec.data.eval, problems);
        if (spec.evaluation != null && spec.evaluation.tasks != null && !spec.evaluation.tasks.isEmpty()) {
            evaluation = tasks("evaluation.tasks", spec.evaluation.tasks, problems);
        }
        evaluation.ifPresent(tasks -> metric(spec, tasks, problems));
        if (spec.sweep.layers != null) {
            try {
                LayerRange.parseCounts(spec.sweep.layers, "range");
            } catch (IllegalArgumentException e) {
                problems.add("sweep.layers: " + e.getMessage());
            }
        }
        if (spec.training.lora.layers != null) {
            try {
                LayerRange.parseIndices(spec.training.lora.layers, "range");
            } catch (IllegalArgumentException e) {
                problems.add("training.lora.layers: " + e.getMessage());
            }
        }
        if (spec.training.prompt != null) {
            try {
                new PromptTemplate(spec.training.prompt);
            } catch (IllegalArgumentException e) {
                problems.add("training.prompt: " + e.getMessage());
            }
        }
        return problems;
    }

    /** The promotion metric must be one the evaluation logs: the average, or a score of one of its tasks. */
    private static void metric(BeLLMExperimentSpec spec, List<TaskSpec> tasks, List<String> problems) {
        if (spec.promotion == null || spec.promotion.metric == null) {
            return;
        }
        Set<String> logged = new LinkedHashSet<>(List.of("average_spearman"));
        tasks.forEach(t -> logged.addAll(List.of(t.name() + "_spearman", t.name() + "_pearson")));
        if (!logged.contains(spec.promotion.metric)) {
            problems.add("promotion.metric: the evaluation logs no '" + spec.promotion.metric + "' (it logs "
                    + String.join(", ", logged) + ")");
        }
    }

    private static Optional<List<TaskSpec>> tasks(String field, List<String> specs, List<String> problems) {
        try {
            return Optional.of(TaskSpec.parseAll(specs));
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
