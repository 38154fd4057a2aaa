package ai.bellm.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * A load that ends in an {@link Error} is not one more failure to retry: the loader is dead and liveness says so.
 * The error is thrown by the load function (a stand-in for a native library failing to link mid-load).
 */
class ModelSwitcherDeathTest {

    @Test
    void anErrorInALoadKillsTheLoaderAndTurnsLivenessDown() throws Exception {
        ModelHolder models = new ModelHolder();
        ModelLoader loader = new ModelLoader(null, null, PipelineFixture.LIMITS);
        try (ModelSwitcher switcher = new ModelSwitcher(models, loader, new ServiceMetrics(new SimpleMeterRegistry()),
                null)) {
            assertThat(switcher.death()).isEmpty();
            Future<?> load = switcher.loadInitial(() -> {
                throw new UnsatisfiedLinkError("libtorch_cpu.so: cannot open shared object file");
            }, Duration.ofMillis(10), Duration.ofMillis(10));
            assertThatThrownBy(() -> load.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(UnsatisfiedLinkError.class);
            assertThat(switcher.death()).containsInstanceOf(UnsatisfiedLinkError.class);
            HealthCheckResponse live = ServiceLiveness.of(Map.of("model-loader", switcher.death().get()));
            assertThat(live.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(live.getData().orElseThrow().get("model-loader").toString()).contains("libtorch_cpu.so");
            assertThat(ServiceLiveness.of(Map.of()).getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        }
    }
}
