package ai.bellm.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.embed.ModelPackage;
import ai.bellm.testing.JavaProcess;
import ai.bellm.testing.MlflowServer;
import ai.bellm.testing.MlflowServerExtension;
import ai.bellm.tracking.ArtifactFile;
import ai.bellm.tracking.MetricPoint;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.RunData;
import ai.bellm.tracking.TrackedRun;
import ai.bellm.tracking.TrackingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A training pod logs parameters, per-step metrics and its package into the run the operator hands it. */
@ExtendWith(MlflowServerExtension.class)
class TrackedTrainingTest {

    @Test
    void trainingLogsIntoItsRunAndUploadsThePackage(MlflowServer server, @TempDir Path dir) throws Exception {
        Path model = TrainFixtures.tinyModel(dir.resolve("tiny"));
        Path data = TrainFixtures.stsb(dir.resolve("train.tsv"), 40, 8);
        Path dev = TrainFixtures.stsb(dir.resolve("dev.tsv"), 20, 9);
        try (MlflowTracking tracking = new MlflowTracking(TrackingConfig.of(server.uri()))) {
            TrackedRun run = tracking.startRun("training-worker-test", "train", Map.of());
            Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", server.uri(), "MLFLOW_RUN_ID", run.runId());
            Path log = dir.resolve("train.log");
            int exit = JavaProcess.run(TrainingWorker.class, env, log, List.of("train", "--model", model.toString(),
                    "--train", "sts=stsb:" + data, "--dev", "dev=stsb:" + dev, "--out", dir.resolve("pkg").toString(),
                    "--lora-layers", "2-3", "--max-steps", "6", "--eval-every", "3", "--batch-size", "8"), 180);
            assertThat(exit).as(Files.readString(log)).isZero();

            RunData data1 = tracking.getRun(run.runId());
            assertThat(data1.status()).isEqualTo("FINISHED");
            assertThat(data1.params()).containsEntry("max_steps", "6").containsKey("lora");
            assertThat(tracking.metricHistory(run.runId(), "loss")).extracting(MetricPoint::step)
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            for (String key : List.of("loss_cosent", "loss_infonce", "loss_angle", "lr", "grad_norm", "tokens_per_s")) {
                assertThat(tracking.metricHistory(run.runId(), key)).as(key).hasSize(6);
            }
            assertThat(tracking.metricHistory(run.runId(), "dev_dev_spearman")).extracting(MetricPoint::step)
                    .containsExactly(3L, 6L);
            assertThat(tracking.artifacts().list(data1.artifactUri() + "/model")).extracting(ArtifactFile::path)
                    .anySatisfy(p -> assertThat(p).endsWith(ModelPackage.MANIFEST))
                    .anySatisfy(p -> assertThat(p).endsWith(ModelPackage.WEIGHTS));

            TrackedRun failing = tracking.startRun("training-worker-test", "bad data", Map.of());
            int failed = JavaProcess.run(TrainingWorker.class, Map.of("MLFLOW_TRACKING_URI", server.uri(),
                    "MLFLOW_RUN_ID", failing.runId()), dir.resolve("bad.log"), List.of("train", "--model",
                    model.toString(), "--train", "sts=stsb:" + dir.resolve("missing.tsv"), "--out",
                    dir.resolve("bad").toString()), 120);
            assertThat(failed).isEqualTo(1);
            assertThat(Files.readString(dir.resolve("bad.log"))).contains("missing.tsv");
            assertThat(tracking.getRun(failing.runId()).status()).isEqualTo("FAILED");
        }
    }
}
