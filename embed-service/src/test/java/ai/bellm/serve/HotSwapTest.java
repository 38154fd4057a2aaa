package ai.bellm.serve;

import static ai.bellm.serve.PipelineFixture.header;
import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.embed.EmbeddingModel;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two registered versions in a real MLflow; a ModelPromoted event in the middle of a stream switches between them. */
@ExtendWith(MlflowServerExtension.class)
class HotSwapTest {

    @Test
    void promotionUnderLoadSwitchesBetweenBatchesWithoutLosingARecord(MlflowServer server, @TempDir Path tmp)
            throws Exception {
        String name = "embed-hotswap-" + UUID.randomUUID();
        Path v1Dir = TinyModelFactory.writeHfDirectory(tmp.resolve("v1"), 101);
        Path v2Dir = TinyModelFactory.writeHfDirectory(tmp.resolve("v2"), 202);
        int n = 3000;
        int partitions = 2;
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ServiceMetrics metrics = new ServiceMetrics(meters);
        ModelHolder models = new ModelHolder();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(tmp);
             MlflowTracking tracking = new MlflowTracking(TrackingConfig.of(server.uri()))) {
            ModelRegistry registry = tracking.registry();
            TestRegistrations.register(tracking, name, v1Dir);
            TestRegistrations.register(tracking, name, v2Dir);
            registry.setAlias(name, ModelRegistry.CHAMPION, "1");

            PipelineFixture f = new PipelineFixture(broker, partitions);
            String events = "events-" + UUID.randomUUID();
            broker.createTopics(Map.of(events, 1));
            ModelLoader loader = new ModelLoader(registry, tmp.resolve("cache"), PipelineFixture.LIMITS);
            FollowedAlias champion = new FollowedAlias(name, ModelRegistry.CHAMPION);
            try (ModelSwitcher switcher = new ModelSwitcher(models, loader, metrics, champion);
                 ModelEventsListener listener = new ModelEventsListener(broker.bootstrapServers(), events, Map.of(),
                         switcher::onPromoted);
                 KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers());
                 KafkaTestClient.Reader reader = kafka.reader(f.output)) {
                CountDownLatch positioned = new CountDownLatch(1);
                listener.start(positioned::countDown);
                switcher.loadInitial(() -> loader.loadRegistered(champion.uri()),
                        Duration.ofMillis(100), Duration.ofSeconds(1)).get();
                assertThat(positioned.await(1, TimeUnit.MINUTES)).as("events listener at the topic's end").isTrue();
                LoadedModel first = models.current().orElseThrow();
                assertThat(first.version()).isEqualTo("1");

                List<ConsumerRecord<byte[], byte[]>> out;
                try (EmbeddingPipeline pipeline = new EmbeddingPipeline(f.settings(), models, metrics)) {
                    pipeline.start();
                    // a steady stream; the promotion is published a third of the way through it, once version 1 has produced
                    for (int chunk = 0; chunk < 30; chunk++) {
                        int from = chunk * n / 30;
                        kafka.send(IntStream.range(from, from + n / 30).mapToObj(i -> f.jsonRecord(i, partitions))
                                .toList());
                        if (chunk == 10) {
                            reader.read(100, Duration.ofMinutes(1)); // some records are out with version 1
                            registry.setAlias(name, ModelRegistry.CHAMPION, "2");
                            kafka.send(List.of(new ProducerRecord<>(events, null,
                                    ModelPromoted.of(name, "2", Map.of("spearman", 0.9), null).toJson())));
                        }
                        Thread.sleep(200);
                    }
                    out = reader.readUntil(r -> r.size() >= n, Duration.ofMinutes(3));
                }
                assertThat(models.current().orElseThrow().version()).isEqualTo("2");
                assertThat(first.isClosed()).as("old model released").isTrue();

                Map<String, EmbeddingRecord> byId = new HashMap<>();
                Map<String, Integer> versions = new HashMap<>();
                Map<String, String> lastVersion = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : out) {
                    EmbeddingRecord e = EmbeddingRecord.fromJson(r.value());
                    assertThat(byId.put(e.id(), e)).as("exactly once: " + e.id()).isNull();
                    versions.merge(e.model().version(), 1, Integer::sum);
                    // records of one input partition in one output partition: once stamped 2, never 1 again
                    String stream = r.partition() + "/" + Integer.parseInt(header(r, "seq")) % partitions;
                    String previous = lastVersion.put(stream, e.model().version());
                    assertThat(previous == null || previous.compareTo(e.model().version()) <= 0).isTrue();
                }
                assertThat(byId).hasSize(n);
                assertThat(versions.keySet()).containsExactlyInAnyOrder("1", "2");
                System.out.printf("hot swap: %s records per version%n", versions);

                try (EmbeddingModel m1 = EmbeddingModel.load(v1Dir); EmbeddingModel m2 = EmbeddingModel.load(v2Dir)) {
                    Map<String, EmbeddingModel> byVersion = Map.of("1", m1, "2", m2);
                    for (String version : List.of("1", "2")) {
                        List<EmbeddingRecord> stamped = byId.values().stream()
                                .filter(e -> e.model().version().equals(version)).toList();
                        float[][] expected = byVersion.get(version).embedder(first.options())
                                .embed(stamped.stream().map(e -> PipelineFixture.text(
                                        Integer.parseInt(e.id().substring(3)))).toList());
                        for (int i = 0; i < stamped.size(); i++) {
                            EmbeddingPipelineTest.assertClose(stamped.get(i).embedding(), expected[i]);
                        }
                    }
                }
                assertThat(meters.get("bellm.model.version").gauge().value()).isEqualTo(2);
            } finally {
                models.clear();
            }
        }
    }
}
