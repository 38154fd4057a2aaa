package ai.bellm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.embed.SentenceEmbedder;
import ai.bellm.kafka.EmbeddedKafkaBroker;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's measure, run by {@code bench/kafka-throughput.sh}, not by the test run: a real model
 * ({@code -Dbench.model}) embeds the sentences of {@code -Dbench.sentences}
 * <ol>
 *   <li>directly in process ({@link SentenceEmbedder#embed}, all sentences at once) — the baseline;</li>
 *   <li>through Kafka: all records waiting on the input topic, then the service's pipeline with its default settings
 *       drains them (records/s between the first and the last output record);</li>
 *   <li>at half the Kafka rate: records produced evenly spaced, end-to-end latency from send to the output record's
 *       arrival at a consumer (p50, p99).</li>
 * </ol>
 * The pipeline gets the settings of the service's {@code application.properties}. Prints a Markdown table. One
 * partition, one pipeline, like one service instance on one topic partition.
 */
class KafkaPipelineBench {
    private static final String SENT_AT = "bench.sent-at-nanos";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void kafkaPathVersusDirectEmbedding(@TempDir Path tmp) throws Exception {
        Path model = Path.of(System.getProperty("bench.model"));
        List<String> sentences = Files.readAllLines(Path.of(System.getProperty("bench.sentences")));
        int latencyRecords = Integer.getInteger("bench.latency-records", 300);
        Properties service = new Properties();
        try (var in = KafkaPipelineBench.class.getResourceAsStream("/application.properties")) {
            service.load(in);
        }
        ModelHolder models = new ModelHolder();
        int passSize = Integer.parseInt(service.getProperty("bellm.embedding.max-batch-size"));
        models.switchTo(new ModelLoader(null, null, o -> o.withBatchSize(passSize)).loadLocal(model, "smollm2"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(tmp)) {
            SentenceEmbedder embedder = models.current().orElseThrow().embedder();
            embedder.embed(sentences.subList(0, Math.min(64, sentences.size()))); // warm-up: JIT and allocator
            // best of two rounds of each: the machine is shared, and a slow round says more about it than about us
            double direct = 0;
            double kafka = 0;
            for (int round = 0; round < 2; round++) {
                long start = System.nanoTime();
                embedder.embed(sentences);
                direct = Math.max(direct, sentences.size() / seconds(System.nanoTime() - start));
                kafka = Math.max(kafka, drainBacklog(broker, service, models, sentences));
            }
            double rate = kafka / 2;
            long[] latencies = pacedLatencies(broker, service, models, sentences, latencyRecords, rate);

            System.out.printf(Locale.ROOT, "| records | direct (records/s) | Kafka (records/s) | Kafka / direct "
                    + "| paced at (records/s) | p50 latency (ms) | p99 latency (ms) |%n");
            System.out.printf(Locale.ROOT, "|---:|---:|---:|---:|---:|---:|---:|%n");
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.2f | %.1f | %.0f | %.0f |%n", sentences.size(),
                    direct, kafka, kafka / direct, rate, percentile(latencies, 50) / 1e6,
                    percentile(latencies, 99) / 1e6);
        } finally {
            models.clear();
        }
    }

    /** All records on the topic first, then one pipeline drains them; records/s from first to last output. */
    private static double drainBacklog(EmbeddedKafkaBroker broker, Properties service, ModelHolder models,
                                       List<String> sentences) throws Exception {
        Topics topics = new Topics(broker);
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            for (int i = 0; i < sentences.size(); i++) {
                producer.send(topics.record(i, sentences.get(i)));
            }
            producer.flush();
        }
        try (KafkaConsumer<byte[], byte[]> reader = reader(broker, topics.output);
             EmbeddingPipeline pipeline = topics.pipeline(broker, service, models)) {
            pipeline.start();
            List<Long> arrivals = new ArrayList<>();
            read(reader, sentences.size(), r -> arrivals.add(System.nanoTime()));
            // the first batch also pays for the consumer group's join: count from its arrival on
            int first = firstBatch(arrivals);
            return (arrivals.size() - first) / seconds(arrivals.get(arrivals.size() - 1) - arrivals.get(first - 1));
        }
    }

    /** Records sent evenly spaced at {@code rate}; the latency of each from its send to its output's arrival. */
    private static long[] pacedLatencies(EmbeddedKafkaBroker broker, Properties service, ModelHolder models,
                                         List<String> sentences, int count, double rate) throws Exception {
        Topics topics = new Topics(broker);
        long[] latencies = new long[count];
        try (KafkaConsumer<byte[], byte[]> reader = reader(broker, topics.output);
             EmbeddingPipeline pipeline = topics.pipeline(broker, service, models);
             KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            pipeline.start();
            // one record through first, so that the group has joined before the clock starts
            producer.send(topics.record(-1, sentences.get(0))).get();
            read(reader, 1, r -> { });
            Thread sender = new Thread(() -> {
                long interval = (long) (1e9 / rate);
                long next = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    ProducerRecord<byte[], byte[]> record = topics.record(i, sentences.get(i % sentences.size()));
                    record.headers().add(SENT_AT, ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
                    producer.send(record);
                    next += interval;
                }
            }, "bench-paced-sender");
            sender.start();
            int[] received = {0};
            read(reader, count, r -> latencies[received[0]++] =
                    System.nanoTime() - ByteBuffer.wrap(r.headers().lastHeader(SENT_AT).value()).getLong());
            sender.join();
        }
        return latencies;
    }

    private static void read(KafkaConsumer<byte[], byte[]> reader, int count,
                             java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        int seen = 0;
        while (seen < count) {
            assertThat(System.nanoTime()).as("%d of %d outputs after 30 min", seen, count).isLessThan(deadline);
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
                onRecord.accept(r);
                seen++;
            }
        }
    }

    /** Outputs of one micro-batch arrive together: the first gap larger than a millisecond ends the first. */
    private static int firstBatch(List<Long> arrivals) {
        for (int i = 1; i < arrivals.size(); i++) {
            if (arrivals.get(i) - arrivals.get(i - 1) > 1_000_000) {
                return i;
            }
        }
        return 1;
    }

    private static double percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    private static KafkaConsumer<byte[], byte[]> reader(EmbeddedKafkaBroker broker, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Fresh topics (one partition each) for one measurement, and the pipeline between them. */
    private static final class Topics {
        final String input = "bench-text-" + UUID.randomUUID();
        final String output = "bench-embeddings-" + UUID.randomUUID();
        final String dlq = "bench-dlq-" + UUID.randomUUID();

        Topics(EmbeddedKafkaBroker broker) {
            broker.createTopics(Map.of(input, 1, output, 1, dlq, 1));
        }

        /** The pipeline as the service builds it from its application.properties. */
        EmbeddingPipeline pipeline(EmbeddedKafkaBroker broker, Properties service, ModelHolder models) {
            PipelineSettings settings = new PipelineSettings(broker.bootstrapServers(), "bench-" + input, input,
                    output, dlq, Integer.parseInt(service.getProperty("bellm.kafka.max-batch-size")),
                    Duration.ofMillis(Long.parseLong(service.getProperty("bellm.kafka.max-wait").replace("ms", ""))),
                    Integer.parseInt(service.getProperty("bellm.embedding.max-batch-tokens")),
                    Integer.parseInt(service.getProperty("bellm.kafka.max-record-bytes")),
                    Integer.parseInt(service.getProperty("bellm.kafka.max-attempts")),
                    clientProperties(service, "bellm.kafka.consumer."),
                    clientProperties(service, "bellm.kafka.producer."));
            return new EmbeddingPipeline(settings, models, new ServiceMetrics(new SimpleMeterRegistry()));
        }

        /** {@code prefix."name"=value} entries as Kafka client properties. */
        private static Map<String, String> clientProperties(Properties service, String prefix) {
            Map<String, String> props = new java.util.HashMap<>();
            service.stringPropertyNames().stream().filter(k -> k.startsWith(prefix))
                    .forEach(k -> props.put(k.substring(prefix.length()).replace("\"", ""), service.getProperty(k)));
            return props;
        }

        ProducerRecord<byte[], byte[]> record(int i, String text) {
            byte[] value = JSON.createObjectNode().put("id", "s" + i).put("text", text).toString()
                    .getBytes(StandardCharsets.UTF_8);
            return new ProducerRecord<>(input, ("k" + i).getBytes(StandardCharsets.UTF_8), value);
        }
    }
}
