package ai.bellm.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.testing.MlflowServer;
import ai.bellm.testing.MlflowServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(MlflowServerExtension.class)
class TrackingRoundTripTest {

    @Test
    void parentWithThreeChildrenRoundTrips(MlflowServer server, @TempDir Path tmp) throws IOException {
        String experiment = "roundtrip-" + UUID.randomUUID();
        Map<String, String> tags = new HashMap<>(TrackingTags.experimentResource("team-a", "sts-sweep", "uid-123"));
        tags.put(TrackingTags.STEP_KIND, "train");
        tags.put(TrackingTags.CODE_VERSION, "abc1234");
        tags.put(TrackingTags.DATA_DIGEST, "sha256:feed");
        // 150 params: more than one log-batch call allows
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < 150; i++) {
            params.put("param." + i, "value-" + i);
        }
        byte[] blob = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(blob);
        Path artifact = Files.write(tmp.resolve("weights.bin"), blob);

        List<MetricPoint> logged = new ArrayList<>();
        List<String> childIds = new ArrayList<>();
        String parentId;
        try (MlflowTracking tracking = new MlflowTracking(TrackingConfig.of(server.uri()))) {
            TrackedRun parent = tracking.startRun(experiment, "sweep", tags);
            parentId = parent.runId();
            parent.logParams(params);
            parent.setTag("bellm.note", "parent");
            for (int c = 0; c < 3; c++) {
                try (TrackedRun child = parent.startChild("trial-" + c, Map.of(TrackingTags.STEP_KIND, "train"))) {
                    childIds.add(child.runId());
                    child.logParam("lr", "1e-" + (c + 3));
                    for (int step = 0; step < 100; step++) {
                        MetricPoint p = new MetricPoint("loss", 1.0 / (step + 1 + c), step, 1_700_000_000_000L + step);
                        child.logMetric(p);
                        logged.add(p);
                    }
                }
            }
            // 700 more points on the parent: 1,000 in all, two keys interleaved
            for (int step = 0; step < 350; step++) {
                parent.logMetric("spearman", step / 350.0, step);
                parent.logMetric("pearson", step / 700.0, step);
            }
            parent.uploadArtifact(artifact, "model/weights.bin");
            parent.finish();

            RunData run = tracking.getRun(parentId);
            assertThat(run.status()).isEqualTo("FINISHED");
            assertThat(run.runName()).isEqualTo("sweep");
            assertThat(run.params()).isEqualTo(params);
            assertThat(run.tags()).containsAllEntriesOf(tags).containsEntry("bellm.note", "parent");
            assertThat(run.parentRunId()).isNull();
            assertThat(tracking.experimentId(experiment)).isEqualTo(run.experimentId());

            List<MetricPoint> spearman = tracking.metricHistory(parentId, "spearman");
            assertThat(spearman).hasSize(350);
            assertThat(spearman).extracting(MetricPoint::step).containsExactlyInAnyOrderElementsOf(
                    () -> java.util.stream.LongStream.range(0, 350).iterator());
            assertThat(spearman).allSatisfy(p -> assertThat(p.value()).isEqualTo(p.step() / 350.0));
            assertThat(tracking.metricHistory(parentId, "pearson")).hasSize(350);

            for (int c = 0; c < 3; c++) {
                RunData child = tracking.getRun(childIds.get(c));
                assertThat(child.parentRunId()).isEqualTo(parentId);
                assertThat(child.experimentId()).isEqualTo(run.experimentId());
                assertThat(child.status()).isEqualTo("FINISHED");
                assertThat(child.params()).containsExactly(Map.entry("lr", "1e-" + (c + 3)));
                assertThat(child.tags()).containsEntry(TrackingTags.STEP_KIND, "train");
                List<MetricPoint> expected = logged.subList(c * 100, (c + 1) * 100);
                assertThat(tracking.metricHistory(childIds.get(c), "loss")).containsExactlyInAnyOrderElementsOf(expected);
            }

            ArtifactStore artifacts = tracking.artifacts();
            assertThat(artifacts.list(run.artifactUri() + "/model"))
                    .containsExactly(new ArtifactFile("weights.bin", false, blob.length));
            Path back = tmp.resolve("back/weights.bin");
            artifacts.downloadFile(run.artifactUri() + "/model/weights.bin", back);
            assertThat(Files.readAllBytes(back)).isEqualTo(blob);
            artifacts.downloadFile("runs:/" + parentId + "/model/weights.bin", tmp.resolve("runs-uri.bin"));
            assertThat(Files.readAllBytes(tmp.resolve("runs-uri.bin"))).isEqualTo(blob);
        }
    }

    @Test
    void directoryUploadAndDownloadKeepTheTree(MlflowServer server, @TempDir Path tmp) throws IOException {
        Path pkg = tmp.resolve("package");
        Files.createDirectories(pkg.resolve("tokenizer"));
        Files.writeString(pkg.resolve("config.json"), "{\"hidden\": 576}");
        Files.writeString(pkg.resolve("tokenizer/vocab with space.txt"), "a\nb\n");
        Files.write(pkg.resolve("tokenizer/merges.bin"), new byte[] {0, 1, 2, (byte) 255});

        try (MlflowTracking tracking = new MlflowTracking(TrackingConfig.of(server.uri()));
             TrackedRun run = tracking.startRun("dirs-" + UUID.randomUUID(), "package", Map.of())) {
            run.uploadArtifacts(pkg, "model");
            Path out = tmp.resolve("out");
            assertThat(tracking.artifacts().downloadDirectory(run.artifactUri() + "/model", out)).isEqualTo(3);
            for (String file : List.of("config.json", "tokenizer/vocab with space.txt", "tokenizer/merges.bin")) {
                assertThat(out.resolve(file)).hasSameBinaryContentAs(pkg.resolve(file));
            }
        }
    }
}
