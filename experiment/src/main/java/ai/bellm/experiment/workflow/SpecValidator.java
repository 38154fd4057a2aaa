package ai.bellm.experiment.workflow;

import ai.bellm.data.TaskSpec;
import ai.bellm.embed.PromptTemplate;
import ai.bellm.experiment.crd.BeLLMExperimentSpec;
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
            int[] range = range(spec.sweep.layers);
            if (range[0] < 1 || range[0] > range[1]) {
                problems.add("sweep.layers " + spec.sweep.layers + ": want 1 <= A <= B");
            } else if (spec.sweep.shards > range[1] - range[0] + 1) {
                problems.add("sweep.shards " + spec.sweep.shards + " exceeds the " + (range[1] - range[0] + 1)
                        + " layer counts of sweep.layers " + spec.sweep.layers);
            }
        }
        if (spec.training.lora.layers != null) {
            int[] range = range(spec.training.lora.layers);
            if (range[0] > range[1]) {
                problems.add("training.lora.layers " + spec.training.lora.layers + ": want A <= B");
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

    /** {@code A-B}; the schema guarantees the syntax. */
    static int[] range(String layers) {
        String[] bounds = layers.split("-");
        return new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])};
    }

    private static void tasks(String field, List<String> specs, List<String> problems) {
        try {
            TaskSpec.parseAll(specs);
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
        }
    }
}
