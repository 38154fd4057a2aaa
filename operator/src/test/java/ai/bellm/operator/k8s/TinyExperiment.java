package ai.bellm.operator.k8s;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.data.SyntheticStsPairs;
import ai.bellm.experiment.workflow.Specs;
import ai.bellm.testing.WorkerJar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A 4-layer random model and invented STS pairs on local disk: what the test job runner's "pods" read. */
public final class TinyExperiment {
    final Path model;
    final Path train;
    final Path dev;

    public TinyExperiment(Path dir) throws IOException, InterruptedException {
        model = dir.resolve("model");
        WorkerJar.EVAL.run(List.of("tiny-model", "--out", model.toString(), "--seed", "7"), dir.resolve("tiny-model.log"),
                120);
        train = SyntheticStsPairs.writeTrainSet(dir.resolve("train.jsonl"));
        dev = SyntheticStsPairs.writeDevSet(dir.resolve("dev.jsonl"));
    }

    public BeLLMExperiment resource(String name, String registeredModel) {
        BeLLMExperimentSpec spec = Specs.tiny(model.toString(), train.toString(), dev.toString(), registeredModel);
        BeLLMExperiment experiment = new BeLLMExperiment();
        experiment.setMetadata(new ObjectMetaBuilder().withName(name).build());
        experiment.setSpec(spec);
        return experiment;
    }
}
