package ai.bellm.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends texts to the service's input topic as {@code {"id","text"}} records and reads the output topic until every
 * one came back, checking that each embedding names the model version expected in service.
 */
final class KafkaRoundTrip {
    static final String INPUT_TOPIC = "bellm.text";
    static final String OUTPUT_TOPIC = "bellm.embeddings";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What came back.
     *
     * @param models   the models the embeddings name, as {@code NAME/VERSION} (just the expected one when all is well)
     * @param expected {@code NAME/VERSION} of the champion
     */
    record Result(int sent, int received, int dim, TreeSet<String> models, String expected) {
        boolean passed() {
            return sent > 0 && received == sent && models.equals(new TreeSet<>(List.of(expected)));
        }
    }

    private KafkaRoundTrip() {
    }

    static Result run(String bootstrapServers, List<String> texts, String model, String expectedVersion)
            throws InterruptedException {
        // ids unique to this run: an external broker may hold records of earlier runs
        String prefix = "run-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Map<String, String> sent = new LinkedHashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            sent.put(prefix + i, texts.get(i));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            consumer.subscribe(List.of(OUTPUT_TOPIC));
            send(bootstrapServers, sent);
            return collect(consumer, sent, model, expectedVersion);
        }
    }

    private static void send(String bootstrapServers, Map<String, String> texts) throws InterruptedException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (Map.Entry<String, String> e : texts.entrySet()) {
                String value = JSON.createObjectNode().put("id", e.getKey()).put("text", e.getValue()).toString();
                producer.send(new ProducerRecord<>(INPUT_TOPIC, e.getKey(), value)).get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not take the texts for " + INPUT_TOPIC + ": "
                    + e.getCause().getMessage(), e);
        }
    }

    private static Result collect(KafkaConsumer<byte[], byte[]> consumer, Map<String, String> sent, String model,
                                  String expectedVersion) {
        Map<String, JsonNode> received = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (received.size() < sent.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                JsonNode value = parse(r.value());
                String id = value.path("id").asText();
                if (sent.containsKey(id)) {
                    received.put(id, value);
                }
            }
        }
        TreeSet<String> models = new TreeSet<>();
        int dim = 0;
        for (JsonNode value : received.values()) {
            models.add(value.path("model").path("name").asText() + "/" + value.path("model").path("version").asText());
            dim = value.path("dim").asInt();
        }
        return new Result(sent.size(), received.size(), dim, models, model + "/" + expectedVersion);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bellm-run-check-" + UUID.randomUUID());
        // from the start: the service may answer before this consumer has its partitions; ids tell this run's records
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(new String(value, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("an output record is no JSON: " + e.getMessage(), e);
        }
    }
}
