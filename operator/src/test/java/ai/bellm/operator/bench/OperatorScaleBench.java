package ai.bellm.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.Phase;
import ai.bellm.experiment.workflow.RecordingModelEvents;
import ai.bellm.experiment.workflow.Specs;
import ai.bellm.operator.k8s.BellmOperator;
import ai.bellm.operator.k8s.OperatorSettings;
import ai.bellm.testing.KubeApiServer;
import ai.bellm.testing.KubeApiServerExtension;
import ai.bellm.testing.MlflowServer;
import ai.bellm.testing.MlflowServerExtension;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.ModelRegistry;
import ai.bellm.tracking.TrackedRun;
import ai.bellm.tracking.TrackingConfig;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's scale measure: N experiments (default 100, {@code -Dbench.experiments}) created at once against the real
 * API server and MLflow; Jobs complete at once with their results pre-logged ({@link InstantJobRunner}). Reports the
 * time from the first create to all sweep Jobs created and to all experiments Succeeded. Not part of the test run:
 * {@code bench/operator-scale.sh} runs it.
 */
@ExtendWith({KubeApiServerExtension.class, MlflowServerExtension.class})
class OperatorScaleBench {

    @Test
    void manyExperimentsAtOnce(KubeApiServer server, MlflowServer mlflowServer, @TempDir Path dir) throws Exception {
        int count = Integer.getInteger("bench.experiments", 100);
        KubernetesClient client = server.client();
        String namespace = server.newNamespace("scale");
        String model = "scale-" + namespace;
        try (MlflowTracking mlflow = new MlflowTracking(TrackingConfig.of(mlflowServer.uri()))) {
            champion(mlflow, model, dir);
            OperatorSettings settings = new OperatorSettings("bellm/workers:bench", mlflowServer.uri(),
                    Duration.ofSeconds(30), Duration.ofSeconds(1));
            try (InstantJobRunner runner = new InstantJobRunner(client, namespace, mlflow);
                 BellmOperator operator = BellmOperator.start(client, settings, new RecordingModelEvents(),
                         new SimpleMeterRegistry(), Set.of(namespace), Optional.empty())) {
                long start = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    BeLLMExperiment e = new BeLLMExperiment();
                    e.setMetadata(new ObjectMetaBuilder().withName(String.format(Locale.ROOT, "exp-%03d", i)).build());
                    e.setSpec(Specs.tiny("/m", "/train.jsonl", "/dev.jsonl", model));
                    e.getSpec().sweep.layers = "1-4";
                    client.resources(BeLLMExperiment.class).inNamespace(namespace).resource(e).create();
                }
                double created = seconds(start);
                double sweepJobs = await(start, () -> client.batch().v1().jobs().inNamespace(namespace).list()
                        .getItems().stream().filter(j -> j.getMetadata().getName().contains("-sweep-")).count()
                        == 2L * count);
                double done = await(start, () -> client.resources(BeLLMExperiment.class).inNamespace(namespace)
                        .list().getItems().stream().filter(succeeded()).count() == count);
                String report = String.format(Locale.ROOT, "| %d experiments (2 sweep shards each) | %.1f | %.1f | %.1f |",
                        count, created, sweepJobs, done);
                System.out.println("| experiments | all created (s) | all sweep Jobs created (s) | all Succeeded (s) |");
                System.out.println("|---|---:|---:|---:|");
                System.out.println(report);
                Files.writeString(Path.of("target", "operator-scale.md"), report + "\n");
                assertThat(client.resources(BeLLMExperiment.class).inNamespace(namespace).list().getItems())
                        .allMatch(succeeded());
            }
        }
    }

    /** A champion nobody beats, so the experiments compare and decide but do not register. */
    private static void champion(MlflowTracking mlflow, String model, Path dir) throws Exception {
        TrackedRun run = mlflow.startRun("bench-scale", "champion", Map.of());
        run.uploadArtifact(Files.writeString(dir.resolve("bellm-model.json"), "{}"), "model/bellm-model.json");
        run.finish();
        mlflow.registry().ensureModel(model);
        String version = mlflow.registry().createVersion(model, run.runId(), "model",
                Map.of("bellm.score.average_spearman", "1000")).version();
        mlflow.registry().setAlias(model, ModelRegistry.CHAMPION, version);
    }

    private static Predicate<BeLLMExperiment> succeeded() {
        return e -> e.getStatus() != null && e.getStatus().phase == Phase.Succeeded;
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static double await(long start, Check check) throws Exception {
        while (!check.done()) {
            if (seconds(start) > 1800) {
                throw new AssertionError("not done after 30 min");
            }
            Thread.sleep(200);
        }
        return seconds(start);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
