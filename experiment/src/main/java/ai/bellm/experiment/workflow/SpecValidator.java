package ai.bellm.experiment.workflow;

import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.data.TaskSpec;
import ai.bellm.layers.LayerRange;
import ai.bellm.recipe.PromptTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * What the API server's schema cannot check: data specs, layer ranges against each other, the prompt. An experiment
 * with a problem fails before any step starts. (A layer range beyond the model is found by the sweep itself, which
 * reads the model.)
 */
public final class SpecValidator {

    private SpecValidator() {
    }

    public static List<String> problems(BeLLMExperimentSpec spec) {
        List<String> problems = new ArrayList<>();
        tasks("data.train", spec.data.train, problems);
        tasks("data.eval", spec.data.eval, problems);
        if (spec.evaluation != null && spec.evaluation.tasks != null && !spec.evaluation.tasks.isEmpty()) {
            tasks("evaluation.tasks", spec.evaluation.tasks, problems);
        }
        if (spec.sweep.layers != null) {
            try {
                LayerRange range = LayerRange.parseCounts(spec.sweep.layers, "sweep.layers");
                if (spec.sweep.shards > range.size()) {
                    problems.add("sweep.shards " + spec.sweep.shards + " exceeds the " + range.size()
                            + " layer counts of sweep.layers " + spec.sweep.layers);
                }
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (spec.training.lora.layers != null) {
            try {
                LayerRange.parseIndices(spec.training.lora.layers, "training.lora.layers");
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
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

    private static void tasks(String field, List<String> specs, List<String> problems) {
        try {
            TaskSpec.parseAll(specs);
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
        }
    }
}
