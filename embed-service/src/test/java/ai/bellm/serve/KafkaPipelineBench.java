package ai.bellm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.embed.SentenceEmbedder;
import ai.bellm.kafka.EmbeddedKafkaBroker;
import ai.bellm.testing.ConfigMappings;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 *   <li>through Kafka: the service's pipeline, joined and idle, gets all records at once and drains them
 *       (records/s from the first send to the last output's arrival); one pipeline serves the whole benchmark, as
 *       in a running service, so its thread and clients are as warm as the direct path's; the two alternate for
 *       {@code -Dbench.rounds} rounds, and the ratio is the median of the rounds' ratios;</li>
 *   <li>through Kafka exactly once: a second pipeline, transactional, read by a read_committed consumer, in the same
 *       rounds; its ratio to the at-least-once pipeline is the cost of exactly once;</li>
 *   <li>at half the at-least-once Kafka rate, for both pipelines: records produced evenly spaced, end-to-end latency
 *       from send to the output record's arrival at a consumer (p50, p99).</li>
 * </ol>
 * The model and the pipeline get the service's settings (its config mapping over its application.properties). Prints a Markdown table. One
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
        ModelHolder models = new ModelHolder();
        ServiceConfig defaults = ConfigMappings.load(ServiceConfig.class, Map.of());
        models.switchTo(new ModelLoader(null, null, ModelLoader.limits(defaults.embedding())).loadLocal(model,
                "smollm2"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(tmp);
             Service service = new Service(broker, models, false);
             Service exactlyOnce = new Service(broker, models, true)) {
            SentenceEmbedder embedder = models.current().orElseThrow().embedder();
            // warm-up of both paths (JIT, allocator, the Kafka clients and broker), or the first round measures it
            List<String> warmUp = sentences.subList(0, Math.min(64, sentences.size()));
            embedder.embed(warmUp);
            service.drainBacklog(warmUp);
            exactlyOnce.drainBacklog(warmUp);
            // Direct and Kafka alternate, and the ratio is taken within each round, then the median over rounds: the
            // machine's speed drifts by tens of percent within minutes, which a single pair would measure as well.
            int rounds = Integer.getInteger("bench.rounds", 5);
            double[] direct = new double[rounds];
            double[] kafka = new double[rounds];
            double[] ratios = new double[rounds];
            double[] transactional = new double[rounds];
            double[] transactionalRatios = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                embedder.embed(sentences);
                direct[round] = sentences.size() / seconds(System.nanoTime() - start);
                kafka[round] = service.drainBacklog(sentences);
                ratios[round] = kafka[round] / direct[round];
                transactional[round] = exactlyOnce.drainBacklog(sentences);
                transactionalRatios[round] = transactional[round] / kafka[round];
                System.out.printf(Locale.ROOT, "round %d: direct %.1f, Kafka %.1f, exactly once %.1f records/s, "
                        + "ratios %.2f and %.2f%n", round + 1, direct[round], kafka[round], transactional[round],
                        ratios[round], transactionalRatios[round]);
            }
            double rate = median(kafka) / 2;
            long[] latencies = service.pacedLatencies(sentences, latencyRecords, rate);
            long[] transactionalLatencies = exactlyOnce.pacedLatencies(sentences, latencyRecords, rate);

            System.out.printf(Locale.ROOT, "| records | direct (records/s) | Kafka (records/s) | Kafka / direct "
                    + "| exactly once (records/s) | exactly once / at least once | paced at (records/s) "
                    + "| p50 / p99 latency (ms) | exactly once p50 / p99 (ms) |%n");
            System.out.printf(Locale.ROOT, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.2f | %.1f | %.2f | %.1f | %.0f / %.0f | %.0f / %.0f |%n",
                    sentences.size(), median(direct), median(kafka), median(ratios), median(transactional),
                    median(transactionalRatios), rate, percentile(latencies, 50) / 1e6,
                    percentile(latencies, 99) / 1e6, percentile(transactionalLatencies, 50) / 1e6,
                    percentile(transactionalLatencies, 99) / 1e6);
        } finally {
            models.clear();
        }
    }

    /**
     * One pipeline that runs for the whole benchmark, as a service does (its thread, the Kafka clients and the
     * broker stay warm), and the benchmark's producer and reader (read_committed for the exactly-once pipeline).
     */
    private static final class Service implements AutoCloseable {
        private final Topics topics;
        private final KafkaConsumer<byte[], byte[]> reader;
        private final EmbeddingPipeline pipeline;
        private final KafkaProducer<byte[], byte[]> producer;

        Service(EmbeddedKafkaBroker broker, ModelHolder models, boolean exactlyOnce) throws Exception {
            topics = new Topics(broker);
            reader = reader(broker, topics.output, exactlyOnce);
            pipeline = topics.pipeline(broker, models, exactlyOnce);
            producer = producer(broker);
            // one record through: the consumer group has joined by then
            pipeline.start();
            producer.send(topics.record(-1, "warm")).get();
            read(reader, 1, r -> { });
        }

        /**
         * All records sent at once to the idle pipeline: they pile up far faster than they are embedded, so the
         * pipeline drains a backlog. Records/s from the first send to the last output's arrival.
         */
        double drainBacklog(List<String> sentences) {
            long start = System.nanoTime();
            for (int i = 0; i < sentences.size(); i++) {
                producer.send(topics.record(i, sentences.get(i)));
            }
            producer.flush();
            long[] lastArrival = {0};
            read(reader, sentences.size(), r -> lastArrival[0] = System.nanoTime());
            return sentences.size() / seconds(lastArrival[0] - start);
        }

        /** Records sent evenly spaced at {@code rate}; the latency of each from its send to its output's arrival. */
        long[] pacedLatencies(List<String> sentences, int count, double rate) throws InterruptedException {
            long[] latencies = new long[count];
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
            return latencies;
        }

        @Override
        public void close() throws Exception {
            try (reader; producer) {
                pipeline.close();
            }
        }
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

    private static double percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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

    private static KafkaConsumer<byte[], byte[]> reader(EmbeddedKafkaBroker broker, String topic,
                                                        boolean readCommitted) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
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

        /** The pipeline as the service builds it: its settings, with these topics set as a deployment would. */
        EmbeddingPipeline pipeline(EmbeddedKafkaBroker broker, ModelHolder models, boolean exactlyOnce) {
            ServiceConfig config = ConfigMappings.load(ServiceConfig.class, Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "BELLM_KAFKA_GROUP_ID", "bench-" + input,
                    "BELLM_KAFKA_INPUT_TOPIC", input, "BELLM_KAFKA_OUTPUT_TOPIC", output,
                    "BELLM_KAFKA_DLQ_TOPIC", dlq,
                    "BELLM_KAFKA_DELIVERY", exactlyOnce ? "exactly-once" : "at-least-once"));
            return new EmbeddingPipeline(PipelineSettings.of(config), models,
                    new ServiceMetrics(new SimpleMeterRegistry()));
        }

        ProducerRecord<byte[], byte[]> record(int i, String text) {
            byte[] value = JSON.createObjectNode().put("id", "s" + i).put("text", text).toString()
                    .getBytes(StandardCharsets.UTF_8);
            return new ProducerRecord<>(input, ("k" + i).getBytes(StandardCharsets.UTF_8), value);
        }
    }
}
