package ai.bellm.operator.k8s;

import ai.bellm.model.TinyModelFactory;
import ai.bellm.experiment.crd.BeLLMExperiment;
import ai.bellm.experiment.crd.BeLLMExperimentSpec;
import ai.bellm.experiment.workflow.Specs;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A 4-layer random model and invented STS pairs on local disk: what the test job runner's "pods" read. */
public final class TinyExperiment {
    private static final String[] SUBJECTS = {"A man", "A woman", "The child", "A dog", "Two birds", "The chef"};
    private static final String[] VERBS = {"plays", "eats", "watches", "paints", "carries", "finds"};
    private static final String[] OBJECTS = {"a guitar", "an apple", "the sea", "a fence", "a box", "the bread"};

    final Path model;
    final Path train;
    final Path dev;

    public TinyExperiment(Path dir) throws IOException {
        model = TinyModelFactory.writeHfDirectory(dir.resolve("model"), 7);
        train = write(dir.resolve("train.jsonl"), 32, 1);
        dev = write(dir.resolve("dev.jsonl"), 24, 2);
    }

    public BeLLMExperiment resource(String name, String registeredModel) {
        BeLLMExperimentSpec spec = Specs.tiny(model.toString(), train.toString(), dev.toString(), registeredModel);
        BeLLMExperiment experiment = new BeLLMExperiment();
        experiment.setMetadata(new ObjectMetaBuilder().withName(name).build());
        experiment.setSpec(spec);
        return experiment;
    }

    /** Pairs whose score grows with the words they share, so the Spearman of a model is defined. */
    private static Path write(Path file, int count, int seed) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int s = (i * 7 + seed) % SUBJECTS.length;
            int v = (i * 5 + seed * 3) % VERBS.length;
            int o = (i * 3 + seed) % OBJECTS.length;
            int shared = i % 4;
            String s1 = SUBJECTS[s] + " " + VERBS[v] + " " + OBJECTS[o] + ".";
            String s2 = SUBJECTS[shared > 0 ? s : (s + 1) % SUBJECTS.length] + " "
                    + VERBS[shared > 1 ? v : (v + 2) % VERBS.length] + " "
                    + OBJECTS[shared > 2 ? o : (o + 1) % OBJECTS.length] + ".";
            lines.add(String.format(Locale.ROOT, "{\"s1\": \"%s\", \"s2\": \"%s\", \"score\": %.1f}", s1, s2,
                    shared * 5.0 / 3));
        }
        return Files.write(file, lines);
    }
}
