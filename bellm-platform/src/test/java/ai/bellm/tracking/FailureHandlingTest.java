package ai.bellm.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.testing.MlflowServer;
import ai.bellm.testing.MlflowServerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rejections surface at once; replaying a batch does not duplicate points; NaN survives. */
@ExtendWith(MlflowServerExtension.class)
class FailureHandlingTest {

    @Test
    void validationErrorsFailFastWithoutRetries(MlflowServer server) {
        // a retry would wait at least 5 s
        TrackingConfig config = TrackingConfig.of(server.uri()).withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10));
        try (MlflowTracking tracking = new MlflowTracking(config);
             TrackedRun run = tracking.startRun("validation-" + UUID.randomUUID(), "run", Map.of())) {
            run.logParam("lr", "0.001");
            run.logParam("lr", "0.001"); // same value again is fine
            long start = System.nanoTime();
            assertThatThrownBy(() -> run.logParam("lr", "0.01"))
                    .isInstanceOfSatisfying(MlflowApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.errorCode()).isEqualTo(MlflowApiException.INVALID_PARAMETER_VALUE);
                    })
                    .hasMessageContaining("lr");
            assertThatThrownBy(() -> tracking.getRun("0123456789abcdef0123456789abcdef"))
                    .isInstanceOfSatisfying(MlflowApiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(MlflowApiException.RESOURCE_DOES_NOT_EXIST));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void resendingTheSamePointsStoresThemOnce(MlflowServer server) {
        try (MlflowTracking tracking = new MlflowTracking(TrackingConfig.of(server.uri()));
             TrackedRun run = tracking.startRun("replay-" + UUID.randomUUID(), "run", Map.of())) {
            MetricPoint point = new MetricPoint("loss", 0.5, 7, 1_700_000_000_000L);
            // what a flush does after an ambiguous failure: the same batch again
            run.logMetric(point);
            run.flush();
            run.logMetric(point);
            run.flush();
            run.finish();
            assertThat(tracking.metricHistory(run.runId(), "loss")).containsExactly(point);
        }
    }

    @Test
    void nonFiniteValuesRoundTrip(MlflowServer server) {
        try (MlflowTracking tracking = new MlflowTracking(TrackingConfig.of(server.uri()));
             TrackedRun run = tracking.startRun("nan-" + UUID.randomUUID(), "run", Map.of())) {
            run.logMetric("loss", Double.NaN, 1);
            run.logMetric("loss", Double.POSITIVE_INFINITY, 2);
            run.finish();
            assertThat(tracking.metricHistory(run.runId(), "loss")).extracting(MetricPoint::value)
                    // MLflow's SQL store keeps NaN but clamps infinities to the largest double
                    .containsExactlyInAnyOrder(Double.NaN, Double.MAX_VALUE);
        }
    }
}
