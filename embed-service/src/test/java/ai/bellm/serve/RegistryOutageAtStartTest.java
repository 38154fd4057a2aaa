package ai.bellm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.model.TinyModelFactory;
import ai.bellm.testing.MlflowServer;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.ModelRegistry;
import ai.bellm.tracking.TrackingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service starts while its MLflow server is down (a dedicated real server, stopped): no model, not ready, the
 * failure reported; once the server is back on the same address, the champion loads without a restart.
 */
class RegistryOutageAtStartTest {

    @Test
    void theChampionLoadsOnceMlflowComesBack(@TempDir Path tmp) throws Exception {
        String name = "embed-outage";
        try (MlflowServer server = MlflowServer.start(tmp.resolve("mlflow"))) {
            TrackingConfig config = TrackingConfig.of(server.uri()).withDeadline(Duration.ofSeconds(2))
                    .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500));
            try (MlflowTracking tracking = new MlflowTracking(config)) {
                TestRegistrations.register(tracking, name, TinyModelFactory.writeHfDirectory(tmp.resolve("v1"), 3));
                tracking.registry().setAlias(name, ModelRegistry.CHAMPION, "1");
                server.stop();

                ModelHolder models = new ModelHolder();
                SimpleMeterRegistry meters = new SimpleMeterRegistry();
                ModelLoader loader = new ModelLoader(tracking.registry(), tmp.resolve("cache"), PipelineFixture.LIMITS);
                FollowedAlias champion = new FollowedAlias(name, ModelRegistry.CHAMPION);
                try (ModelSwitcher switcher = new ModelSwitcher(models, loader, new ServiceMetrics(meters), champion)) {
                    Future<?> initial = switcher.loadInitial(() -> loader.loadRegistered(champion.uri()),
                            Duration.ofMillis(200), Duration.ofSeconds(1));
                    awaitFailures(meters, 2);
                    assertThat(models.current()).as("nothing to serve while MLflow is down").isEmpty();
                    assertThat(models.lastFailure()).hasValueSatisfying(f ->
                            assertThat(f.message()).contains(server.uri()));
                    assertThat(initial).isNotDone();

                    server.start();
                    initial.get(2, TimeUnit.MINUTES);
                    assertThat(models.current()).hasValueSatisfying(m -> {
                        assertThat(m.name()).isEqualTo(name);
                        assertThat(m.version()).isEqualTo("1");
                    });
                } finally {
                    models.clear();
                }
            }
        }
    }

    private static void awaitFailures(SimpleMeterRegistry meters, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (meters.get("bellm.model.load.failures").counter().count() < count) {
            assertThat(System.nanoTime()).as("%d failed loads within a minute", count).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
