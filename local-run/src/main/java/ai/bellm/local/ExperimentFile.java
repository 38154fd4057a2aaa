package ai.bellm.local;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.experiment.workflow.SpecValidator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A BeLLMExperiment YAML file, read and checked as the cluster would: kind and group, the fields the CRD's schema
 * requires, then {@link SpecValidator}. Any problem is one {@link IllegalArgumentException} naming the file.
 */
final class ExperimentFile {

    private ExperimentFile() {
    }

    static BeLLMExperiment read(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        KubernetesSerialization serialization = new KubernetesSerialization();
        // the resource class reports its own kind: the file's is in the generic form
        String kindProblem = kindProblem(parse(file, () -> serialization.unmarshal(yaml,
                GenericKubernetesResource.class)));
        if (kindProblem != null) {
            throw new IllegalArgumentException(file + ": " + kindProblem);
        }
        BeLLMExperiment experiment = parse(file, () -> serialization.unmarshal(yaml, BeLLMExperiment.class));
        List<String> problems = problems(experiment);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + ": " + String.join("; ", problems));
        }
        return experiment;
    }

    private static <T> T parse(Path file, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (RuntimeException e) { // Jackson's message names the line and the field
            throw new IllegalArgumentException(file + ": not a BeLLMExperiment: " + firstLine(e.getMessage()), e);
        }
    }

    private static String kindProblem(GenericKubernetesResource resource) {
        String expected = BeLLMExperiment.GROUP + "/" + BeLLMExperiment.VERSION;
        if ("BeLLMExperiment".equals(resource.getKind()) && expected.equals(resource.getApiVersion())) {
            return null;
        }
        return "want kind BeLLMExperiment, apiVersion " + expected + "; found kind " + resource.getKind()
                + ", apiVersion " + resource.getApiVersion();
    }

    private static List<String> problems(BeLLMExperiment experiment) {
        List<String> problems = new ArrayList<>();
        if (experiment.getMetadata() == null || experiment.getMetadata().getName() == null) {
            problems.add("metadata.name is missing");
        }
        BeLLMExperimentSpec spec = experiment.getSpec();
        if (spec == null) {
            problems.add("spec is missing");
            return problems;
        }
        require(spec.baseModel != null && spec.baseModel.uri != null, "spec.baseModel.uri is required", problems);
        require(spec.data != null && spec.data.train != null && !spec.data.train.isEmpty()
                && spec.data.eval != null && !spec.data.eval.isEmpty(),
                "spec.data.train and .eval need at least one NAME=FORMAT:PATH each", problems);
        require(spec.promotion != null && spec.promotion.registeredModel != null,
                "spec.promotion.registeredModel is required", problems);
        if (problems.isEmpty()) {
            problems.addAll(SpecValidator.problems(spec));
        }
        return problems;
    }

    private static void require(boolean condition, String problem, List<String> problems) {
        if (!condition) {
            problems.add(problem);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
    }
}
