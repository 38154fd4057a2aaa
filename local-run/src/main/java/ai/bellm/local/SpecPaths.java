package ai.bellm.local;

import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.data.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The file paths an experiment spec names: the base model and the path of every {@code NAME=FORMAT:PATH} data set.
 * In the cluster they are paths inside the step pods; a local run maps them onto this machine.
 */
final class SpecPaths {

    /** A path of the spec, with the field that names it (for messages). */
    record Reference(String field, String path) {
    }

    private SpecPaths() {
    }

    static List<Reference> of(BeLLMExperimentSpec spec) {
        List<Reference> refs = new ArrayList<>();
        refs.add(new Reference("baseModel.uri", spec.baseModel.uri));
        tasks("data.train", spec.data.train, refs);
        tasks("data.eval", spec.data.eval, refs);
        if (spec.evaluation != null && spec.evaluation.tasks != null) {
            tasks("evaluation.tasks", spec.evaluation.tasks, refs);
        }
        return refs;
    }

    /** Replaces every path of the spec by {@code map(path)}. */
    static void rewrite(BeLLMExperimentSpec spec, UnaryOperator<String> map) {
        spec.baseModel.uri = map.apply(spec.baseModel.uri);
        spec.data.train = tasks(spec.data.train, map);
        spec.data.eval = tasks(spec.data.eval, map);
        if (spec.evaluation != null && spec.evaluation.tasks != null) {
            spec.evaluation.tasks = tasks(spec.evaluation.tasks, map);
        }
    }

    private static void tasks(String field, List<String> specs, List<Reference> refs) {
        for (String s : specs) {
            TaskSpec task = TaskSpec.parse(s);
            refs.add(new Reference(field + " " + task.name(), task.path().toString()));
        }
    }

    private static List<String> tasks(List<String> specs, UnaryOperator<String> map) {
        return specs.stream().map(TaskSpec::parse)
                .map(t -> t.name() + "=" + t.format().id() + ":" + map.apply(t.path().toString()))
                .toList();
    }
}
