package ai.bellm.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.testing.JavaProcess;
import ai.bellm.testing.MlflowServer;
import ai.bellm.testing.MlflowServerExtension;
import ai.bellm.tracking.MetricPoint;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.RunData;
import ai.bellm.tracking.TrackedRun;
import ai.bellm.tracking.TrackingConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** evaluate and sweep, given a run by the environment as the operator gives it to a pod, log into it and end it. */
@ExtendWith(MlflowServerExtension.class)
class TrackedEvaluationTest {

    @Test
    void evaluateAndSweepLogTheirScoresAndFilesIntoTheRunTheyAreGiven(MlflowServer server, @TempDir Path dir)
            throws Exception {
        Path model = CliFixtures.tinyModel(dir.resolve("tiny"));
        Path data = CliFixtures.writeStsb(dir.resolve("sts.tsv"), CliFixtures.pairs(30, 4));
        try (MlflowTracking tracking = new MlflowTracking(TrackingConfig.of(server.uri()))) {
            TrackedRun parent = tracking.startRun("eval-worker-test", "experiment", Map.of());
            TrackedRun evalRun = parent.startChild("evaluate", Map.of());
            TrackedRun sweepRun = parent.startChild("sweep", Map.of());
            Map<String, String> evalEnv = Map.of("MLFLOW_TRACKING_URI", server.uri(), "MLFLOW_RUN_ID", evalRun.runId());
            Map<String, String> sweepEnv = Map.of("MLFLOW_TRACKING_URI", server.uri(), "MLFLOW_RUN_ID", sweepRun.runId());

            Path evalOut = dir.resolve("eval.json");
            int evalExit = JavaProcess.run(EvalWorker.class, evalEnv, dir.resolve("eval.log"), List.of("evaluate",
                    "--model", model.toString(), "--task", "sts=stsb:" + data, "--out", evalOut.toString()), 120);
            assertThat(evalExit).as(Files.readString(dir.resolve("eval.log"))).isZero();
            Path sweepOut = dir.resolve("sweep.json");
            int sweepExit = JavaProcess.run(EvalWorker.class, sweepEnv, dir.resolve("sweep.log"), List.of("sweep",
                    "--model", model.toString(), "--task", "sts=stsb:" + data, "--out", sweepOut.toString(),
                    "--plot", dir.resolve("curve.png").toString()), 120);
            assertThat(sweepExit).as(Files.readString(dir.resolve("sweep.log"))).isZero();

            RunData evaluated = tracking.getRun(evalRun.runId());
            assertThat(evaluated.status()).isEqualTo("FINISHED");
            assertThat(evaluated.params()).containsEntry("pooling", "last").containsEntry("bidirectional_from", "none");
            double spearman = CliFixtures.json(evalOut).get("tasks").get("sts").get("spearman").asDouble();
            assertThat(tracking.metricHistory(evalRun.runId(), "sts_spearman")).extracting(MetricPoint::value)
                    .containsExactly(spearman);
            assertThat(tracking.artifacts().list(evaluated.artifactUri() + "/results")).isNotEmpty();

            JsonNode sweep = CliFixtures.json(sweepOut);
            List<MetricPoint> curve = tracking.metricHistory(sweepRun.runId(), "spearman");
            assertThat(curve).extracting(MetricPoint::step).containsExactly(1L, 2L, 3L, 4L);
            for (MetricPoint point : curve) {
                assertThat(point.value()).isEqualTo(sweep.get("layers").get((int) point.step() - 1).get("spearman")
                        .asDouble());
            }
            assertThat(tracking.metricHistory(sweepRun.runId(), "turning_point")).extracting(MetricPoint::value)
                    .containsExactly(sweep.get("turning_point").asDouble());
            assertThat(tracking.getRun(sweepRun.runId()).status()).isEqualTo("FINISHED");
            parent.finish();
        }
    }
}
