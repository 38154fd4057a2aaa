package ai.bellm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.events.ModelPromoted;
import ai.bellm.kafka.EmbeddedKafkaBroker;
import ai.bellm.model.TinyModelFactory;
import ai.bellm.testing.KafkaTestClient;
import ai.bellm.testing.MlflowServer;
import ai.bellm.testing.MlflowServerExtension;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.ModelRegistry;
import ai.bellm.tracking.TrackingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's model side with Kafka away at start (real MLflow, a real broker stopped and started): the model loads
 * and is served without Kafka, and once Kafka is there the alias is looked up again, so a promotion made meanwhile is
 * not missed; later events are followed.
 */
@ExtendWith(MlflowServerExtension.class)
class KafkaLateAtStartTest {

    @Test
    void theModelIsServedWithoutKafkaAndAPromotionMadeMeanwhileIsCaughtUpOnceKafkaIsThere(MlflowServer server,
            @TempDir Path tmp) throws Exception {
        String name = "embed-late-kafka-" + UUID.randomUUID();
        String events = "events-" + UUID.randomUUID();
        ModelHolder models = new ModelHolder();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(tmp);
             MlflowTracking tracking = new MlflowTracking(TrackingConfig.of(server.uri()))) {
            broker.createTopics(Map.of(events, 1));
            broker.stop();
            ModelRegistry registry = tracking.registry();
            TestRegistrations.register(tracking, name, TinyModelFactory.writeHfDirectory(tmp.resolve("v1"), 1));
            TestRegistrations.register(tracking, name, TinyModelFactory.writeHfDirectory(tmp.resolve("v2"), 2));
            registry.setAlias(name, ModelRegistry.CHAMPION, "1");

            ModelLoader loader = new ModelLoader(registry, tmp.resolve("cache"), PipelineFixture.LIMITS);
            FollowedAlias champion = new FollowedAlias(name, ModelRegistry.CHAMPION);
            try (ModelSwitcher switcher = new ModelSwitcher(models, loader,
                         new ServiceMetrics(new SimpleMeterRegistry()), champion);
                 ModelEventsListener listener = new ModelEventsListener(broker.bootstrapServers(), events, Map.of(),
                         switcher::onPromoted)) {
                listener.start(switcher::followAlias); // as the service starts it, with the broker down
                switcher.loadInitial(() -> loader.loadRegistered(champion.uri()), Duration.ofMillis(100),
                        Duration.ofSeconds(1)).get(1, TimeUnit.MINUTES);
                assertThat(models.current().orElseThrow().version()).as("served without Kafka").isEqualTo("1");

                registry.setAlias(name, ModelRegistry.CHAMPION, "2"); // its event could not be published
                broker.start();
                awaitVersion(models, "2");

                registry.setAlias(name, ModelRegistry.CHAMPION, "1");
                try (KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers())) {
                    kafka.send(List.of(new ProducerRecord<>(events, null,
                            ModelPromoted.of(name, "1", Map.of(), null).toJson())));
                }
                awaitVersion(models, "1");
                assertThat(listener.death()).isEmpty();
            }
        } finally {
            models.clear();
        }
    }

    private static void awaitVersion(ModelHolder models, String version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!models.current().map(m -> m.version().equals(version)).orElse(false)) {
            assertThat(System.nanoTime()).as("version %s in service within a minute", version).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
