package ai.bellm.serve;

import ai.bellm.events.KafkaClientProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the Kafka pipeline needs, independent of Quarkus so tests can build pipelines directly.
 *
 * @param maxBatchSize    most records embedded and committed together
 * @param maxWait         longest the first record of a batch waits for the batch to fill
 * @param maxBatchTokens  token budget of one forward pass
 * @param maxRecordBytes  records whose key, value or headers are larger are dead-lettered as too-large
 * @param maxAttempts     embedding attempts of a batch before its texts are embedded one by one
 * @param delivery        at least once (the default) or exactly once (transactions)
 * @param transactionalId the producer's {@code transactional.id} when exactly once: the same one after a restart
 *                        aborts the transaction a crash left open at once, instead of after its timeout
 */
public record PipelineSettings(String bootstrapServers, String groupId, String inputTopic, String outputTopic,
                               String dlqTopic, int maxBatchSize, Duration maxWait, int maxBatchTokens,
                               int maxRecordBytes, int maxAttempts, Delivery delivery, String transactionalId,
                               Map<String, String> consumerOverrides, Map<String, String> producerOverrides) {

    /** How often each input record's output reaches the output topic, as read_committed consumers see it. */
    public enum Delivery {
        /** Offsets committed after the outputs are acknowledged: a crash redelivers, so duplicates can occur. */
        AT_LEAST_ONCE,
        /** Outputs and offsets committed in one transaction per batch: each input's output appears once. */
        EXACTLY_ONCE
    }

    /** Long enough for a batch, short enough that a transaction a crash left open does not stall readers long. */
    private static final int TRANSACTION_TIMEOUT_MS = 30_000;

    /** Room for an embedding's JSON and the added headers, next to a key and headers of up to maxRecordBytes. */
    private static final long OUTPUT_OVERHEAD_BYTES = 128 * 1024;
    private static final long DEFAULT_MAX_REQUEST_SIZE = 1048576;

    /**
     * A dead letter carries up to maxRecordBytes each of its input's key, value and headers ({@link DeadLetters}):
     * the producer must accept that, or such a record could never leave the partition.
     */
    public PipelineSettings {
        long limit = Long.parseLong(producerOverrides.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Long.toString(DEFAULT_MAX_REQUEST_SIZE)));
        long needed = 3L * maxRecordBytes + OUTPUT_OVERHEAD_BYTES;
        if (needed > limit) {
            throw new IllegalArgumentException("bellm.kafka.max-record-bytes=" + maxRecordBytes + " needs a producer"
                    + " max.request.size of at least " + needed + " (3 x max-record-bytes + 128 KiB), not " + limit
                    + ": lower it or raise bellm.kafka.producer.\"max.request.size\"");
        }
    }

    public static PipelineSettings of(ServiceConfig config) {
        ServiceConfig.KafkaSettings kafka = config.kafka();
        // the file every Kafka client of the service shares, under each client's own properties
        Map<String, String> shared = KafkaClientProperties.load(kafka.clientPropertiesFile());
        return new PipelineSettings(kafka.bootstrapServers().orElseThrow(), kafka.groupId(), kafka.inputTopic(),
                kafka.outputTopic(), kafka.dlqTopic(), kafka.maxBatchSize(), kafka.maxWait(),
                config.embedding().maxBatchTokens(), kafka.maxRecordBytes(), kafka.maxAttempts(), kafka.delivery(),
                kafka.transactionalId().orElseGet(() -> kafka.groupId() + "-" + hostName()),
                KafkaClientProperties.merge(shared, kafka.consumer()),
                KafkaClientProperties.merge(shared, kafka.producer()));
    }

    public boolean exactlyOnce() {
        return delivery == Delivery.EXACTLY_ONCE;
    }

    /** The pod's name in Kubernetes (a StatefulSet keeps it across restarts). */
    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "embed-service" : host;
    }

    /**
     * Manual commits only; at most one batch per poll; a new group starts at the earliest record; exactly once reads
     * only committed records (an upstream transaction's aborted records are never embedded).
     */
    public Map<String, Object> consumerProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxBatchSize);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.putAll(consumerOverrides);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // commit-after-ack depends on it
        if (exactlyOnce()) {
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
        return props;
    }

    /**
     * Idempotent, acks from all replicas: retries neither duplicate nor reorder the records of a partition; exactly
     * once adds the transactional id.
     */
    public Map<String, Object> producerProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        if (exactlyOnce()) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
        }
        props.putAll(producerOverrides);
        return props;
    }
}
