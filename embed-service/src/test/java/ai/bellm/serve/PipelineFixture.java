package ai.bellm.serve;

import ai.bellm.embed.EmbeddingOptions;
import ai.bellm.kafka.EmbeddedKafkaBroker;
import ai.bellm.model.TinyModelFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Topics of one test, pipeline settings for them, and test records. */
final class PipelineFixture {
    static final int MAX_TOKENS = 256;
    static final UnaryOperator<EmbeddingOptions> LIMITS = o -> o.withMaxTokens(MAX_TOKENS, true).withBatchSize(32);
    private static final ObjectMapper JSON = new ObjectMapper();

    final String input = "text-" + UUID.randomUUID();
    final String output = "embeddings-" + UUID.randomUUID();
    final String dlq = "dlq-" + UUID.randomUUID();
    final String group = "group-" + UUID.randomUUID();
    final EmbeddedKafkaBroker broker;

    PipelineFixture(EmbeddedKafkaBroker broker, int partitions) {
        this.broker = broker;
        broker.createTopics(Map.of(input, partitions, output, partitions, dlq, 1));
    }

    PipelineSettings settings(int maxRecordBytes) {
        return settings(maxRecordBytes, Map.of());
    }

    PipelineSettings settings(int maxRecordBytes, Map<String, String> consumerOverrides) {
        return new PipelineSettings(broker.bootstrapServers(), group, input, output, dlq, 64, Duration.ofMillis(20),
                2048, maxRecordBytes, 2, PipelineSettings.Delivery.AT_LEAST_ONCE, null, consumerOverrides, Map.of());
    }

    /** Exactly once, with a transactional id of this fixture's own (a restarted pipeline takes it over). */
    PipelineSettings exactlyOnceSettings() {
        return new PipelineSettings(broker.bootstrapServers(), group, input, output, dlq, 64, Duration.ofMillis(20),
                2048, 65536, 2, PipelineSettings.Delivery.EXACTLY_ONCE, group + "-tx", Map.of(), Map.of());
    }

    PipelineSettings settings() {
        return settings(65536);
    }

    static String text(int i) {
        return "Record " + i + ": " + "a sentence of some length ".repeat(1 + i % 4) + "with ünïcödé " + (i * 7919 % 1000);
    }

    static String id(int i) {
        return "id-" + i;
    }

    static String key(int i) {
        return "k" + i;
    }

    /** Record i as JSON {"id","text"} keyed k<i>, in partition i % partitions, with header seq = i. */
    ProducerRecord<byte[], byte[]> jsonRecord(int i, int partitions) {
        ObjectNode value = JSON.createObjectNode().put("id", id(i)).put("text", text(i));
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(input, i % partitions, bytes(key(i)),
                value.toString().getBytes(StandardCharsets.UTF_8));
        r.headers().add("seq", bytes(Integer.toString(i)));
        return r;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        var h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The distinct ids of embedding records. */
    static Set<String> ids(List<ConsumerRecord<byte[], byte[]>> embeddings) {
        Set<String> ids = new HashSet<>();
        embeddings.forEach(r -> ids.add(EmbeddingRecord.fromJson(r.value()).id()));
        return ids;
    }

    /** A holder serving the pipeline tests' tiny model (seed 11), written under {@code dir}. */
    static ModelHolder tinyModel(Path dir) throws IOException {
        ModelHolder models = new ModelHolder();
        models.switchTo(new ModelLoader(null, null, LIMITS)
                .loadLocal(TinyModelFactory.writeHfDirectory(dir.resolve("tiny"), 11), "tiny"));
        return models;
    }

    static ServiceMetrics metrics() {
        return new ServiceMetrics(new SimpleMeterRegistry());
    }
}
