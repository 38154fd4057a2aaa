package ai.bellm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.events.ModelPromoted;
import ai.bellm.model.TinyModelFactory;
import ai.bellm.testing.MlflowServer;
import ai.bellm.testing.MlflowServerExtension;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.ModelRegistry;
import ai.bellm.tracking.TrackingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which promotions a service acts on, against a real MLflow registry: only those of its model and alias, and then
 * the version the registry names for the alias, whatever version the event names.
 */
@ExtendWith(MlflowServerExtension.class)
class PromotionFollowingTest {

    @Test
    void onlyTheFollowedAliasSwitchesAndTheRegistryNotTheEventPicksTheVersion(MlflowServer server, @TempDir Path tmp)
            throws Exception {
        String name = "embed-follow-" + UUID.randomUUID();
        try (MlflowTracking tracking = new MlflowTracking(TrackingConfig.of(server.uri()))) {
            ModelRegistry registry = tracking.registry();
            TestRegistrations.register(tracking, name, TinyModelFactory.writeHfDirectory(tmp.resolve("v1"), 1));
            TestRegistrations.register(tracking, name, TinyModelFactory.writeHfDirectory(tmp.resolve("v2"), 2));
            Path notAModel = Files.createDirectories(tmp.resolve("v3"));
            Files.writeString(notAModel.resolve("README.txt"), "no weights here");
            TestRegistrations.register(tracking, name, notAModel);
            registry.setAlias(name, ModelRegistry.CHAMPION, "1");
            registry.setAlias(name, "prod", "1");

            ModelLoader loader = new ModelLoader(registry, tmp.resolve("cache"), PipelineFixture.LIMITS);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            ModelHolder champion = new ModelHolder();
            ModelHolder pinned = new ModelHolder();
            FollowedAlias followsChampion = new FollowedAlias(name, ModelRegistry.CHAMPION);
            FollowedAlias followsProd = new FollowedAlias(name, "prod");
            try (ModelSwitcher championSwitcher = new ModelSwitcher(champion, loader, new ServiceMetrics(meters),
                         followsChampion);
                 ModelSwitcher prodSwitcher = new ModelSwitcher(pinned, loader, new ServiceMetrics(meters),
                         followsProd)) {
                championSwitcher.loadInitial(() -> loader.loadRegistered(followsChampion.uri()), Duration.ofMillis(100),
                        Duration.ofSeconds(1)).get();
                prodSwitcher.loadInitial(() -> loader.loadRegistered(followsProd.uri()), Duration.ofMillis(100),
                        Duration.ofSeconds(1)).get();

                // another model's promotion, and an event naming a version the alias does not name (late or forged)
                championSwitcher.onPromoted(ModelPromoted.of("another-model", "2", Map.of(), null)).get();
                championSwitcher.onPromoted(new ModelPromoted(null, name, "2", "models:/another-model/2", null,
                        Map.of(), null)).get();
                assertThat(version(champion)).isEqualTo("1");
                assertThat(ignored(meters, "other-model")).isEqualTo(1);

                // champion moves to 2: the champion follower switches, the service pinned to prod does not
                registry.setAlias(name, ModelRegistry.CHAMPION, "2");
                ModelPromoted toTwo = ModelPromoted.of(name, "2", Map.of("spearman", 0.9), null);
                championSwitcher.onPromoted(toTwo).get();
                prodSwitcher.onPromoted(toTwo).get();
                assertThat(version(champion)).isEqualTo("2");
                assertThat(version(pinned)).isEqualTo("1");
                assertThat(ignored(meters, "other-alias")).isEqualTo(1);

                // a replayed event of version 1 changes nothing: the registry still names 2
                championSwitcher.onPromoted(ModelPromoted.of(name, "1", Map.of(), null)).get();
                assertThat(version(champion)).isEqualTo("2");

                // a champion that cannot be loaded keeps the model in service and says which version failed
                registry.setAlias(name, ModelRegistry.CHAMPION, "3");
                championSwitcher.onPromoted(ModelPromoted.of(name, "3", Map.of(), null)).get();
                assertThat(version(champion)).isEqualTo("2");
                assertThat(champion.lastFailure()).hasValueSatisfying(
                        failure -> assertThat(failure.source()).isEqualTo("models:/" + name + "/3"));
                assertThat(meters.get("bellm.model.load.failures").counter().count()).isEqualTo(1);
            } finally {
                champion.clear();
                pinned.clear();
            }
        }
    }

    private static String version(ModelHolder holder) {
        return holder.current().orElseThrow().version();
    }

    private static double ignored(SimpleMeterRegistry meters, String reason) {
        return meters.get("bellm.model.promotions.ignored").tag("reason", reason).counter().count();
    }
}
