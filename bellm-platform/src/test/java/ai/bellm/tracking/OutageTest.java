package ai.bellm.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.testing.MlflowServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dedicated server, stopped and started again on the same store while runs log metrics. */
class OutageTest {
    @TempDir
    static Path stateDir;
    static MlflowServer server;

    @BeforeAll
    static void startServer() {
        server = MlflowServer.start(stateDir);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void metricsLoggedDuringAnOutageArriveExactlyOnce() throws Exception {
        TrackingConfig config = TrackingConfig.of(server.uri())
                .withDeadline(Duration.ofMinutes(3))
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .withMetricFlushInterval(Duration.ofMillis(100));
        int points = 3000;
        try (MlflowTracking tracking = new MlflowTracking(config)) {
            TrackedRun run = tracking.startRun("outage", "train", Map.of(TrackingTags.STEP_KIND, "train"));
            List<MetricPoint> logged = new ArrayList<>();
            // the "training loop": a point every ~5 ms while the server goes away and comes back
            CompletableFuture<Void> training = CompletableFuture.runAsync(() -> {
                for (int step = 0; step < points; step++) {
                    MetricPoint p = new MetricPoint("loss", 1.0 / (step + 1), step, System.currentTimeMillis());
                    run.logMetric(p);
                    logged.add(p);
                    sleep(5);
                }
            });
            sleep(1500);
            server.stop();
            int buffered = run.pendingMetrics();
            sleep(2000);
            assertThat(run.pendingMetrics()).as("points pile up while the server is down").isGreaterThan(buffered);
            server.start();
            training.get(2, TimeUnit.MINUTES);
            run.finish();

            List<MetricPoint> stored = tracking.metricHistory(run.runId(), "loss");
            assertThat(stored).hasSize(points).doesNotHaveDuplicates();
            assertThat(stored).containsExactlyInAnyOrderElementsOf(logged);
            assertThat(tracking.getRun(run.runId()).status()).isEqualTo("FINISHED");
        }
    }

    @Test
    void serverDownPastTheDeadlineGivesAClearErrorAndKeepsThePoints() {
        TrackingConfig config = TrackingConfig.of(server.uri())
                .withDeadline(Duration.ofSeconds(2))
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .withMetricFlushInterval(Duration.ofHours(1)); // only explicit flushes here
        try (MlflowTracking tracking = new MlflowTracking(config)) {
            TrackedRun run = tracking.startRun("deadline", "train", Map.of());
            run.logMetric("loss", 0.25, 1);
            server.stop();
            try {
                long start = System.nanoTime();
                assertThatThrownBy(run::finish)
                        .isInstanceOf(TrackingUnavailableException.class)
                        .hasMessageContaining("MLflow unavailable")
                        .hasMessageContaining("runs/log-batch");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
                assertThatThrownBy(() -> tracking.experimentId("never-created"))
                        .isInstanceOf(TrackingUnavailableException.class);
                assertThat(run.pendingMetrics()).isEqualTo(1);
            } finally {
                server.start();
            }
            run.finish();
            assertThat(tracking.metricHistory(run.runId(), "loss")).extracting(MetricPoint::value).containsExactly(0.25);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
