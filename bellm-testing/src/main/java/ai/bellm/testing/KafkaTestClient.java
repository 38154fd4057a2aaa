package ai.bellm.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Byte-array producer and reader for tests: send records, read a topic from its start until a condition holds. */
public final class KafkaTestClient implements AutoCloseable {

    private final String bootstrapServers;
    private final KafkaProducer<byte[], byte[]> producer;

    public KafkaTestClient(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** With extra producer properties, e.g. {@code compression.type}. */
    public KafkaTestClient(String bootstrapServers, Map<String, Object> producerOverrides) {
        this.bootstrapServers = bootstrapServers;
        Map<String, Object> props = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.LINGER_MS_CONFIG, 5));
        props.putAll(producerOverrides);
        this.producer = new KafkaProducer<>(props);
    }

    /** Sends and waits for every acknowledgement. */
    public void send(List<ProducerRecord<byte[], byte[]>> records) {
        List<Future<?>> acks = new ArrayList<>();
        records.forEach(r -> acks.add(producer.send(r)));
        producer.flush();
        try {
            for (Future<?> ack : acks) {
                ack.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("send failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A reader of {@code topic} from its beginning, in a group of its own. */
    public Reader reader(String topic) {
        return reader(topic, Map.of());
    }

    /** With extra consumer properties, e.g. {@code isolation.level=read_committed}. */
    public Reader reader(String topic, Map<String, Object> consumerOverrides) {
        return new Reader(topic, consumerOverrides);
    }

    @Override
    public void close() {
        producer.close();
    }

    /** Collects the records of a topic as they arrive. */
    public final class Reader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

        private Reader(String topic, Map<String, Object> consumerOverrides) {
            Map<String, Object> props = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
            props.putAll(consumerOverrides);
            consumer = new KafkaConsumer<>(props);
            consumer.subscribe(List.of(topic));
        }

        /** Reads until {@code done} holds for everything read so far; fails after {@code timeout}. */
        public List<ConsumerRecord<byte[], byte[]>> readUntil(Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
                Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not met after " + timeout + ", read " + records.size()
                            + " records");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }

        /** Everything that arrives within {@code duration} (and what was read before). */
        public List<ConsumerRecord<byte[], byte[]>> readFor(Duration duration) {
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }

        public List<ConsumerRecord<byte[], byte[]>> read(int count, Duration timeout) {
            return readUntil(r -> r.size() >= count, timeout);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
