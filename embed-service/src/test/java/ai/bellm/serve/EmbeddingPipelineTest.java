package ai.bellm.serve;

import static ai.bellm.serve.PipelineFixture.bytes;
import static ai.bellm.serve.PipelineFixture.header;
import static ai.bellm.serve.PipelineFixture.ids;
import static ai.bellm.serve.PipelineFixture.metrics;
import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.kafka.EmbeddedKafkaBroker;
import ai.bellm.model.TinyModelFactory;
import ai.bellm.testing.KafkaTestClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline against a real KRaft broker with a tiny local model: volume, dead letters, a crash and restarts. */
class EmbeddingPipelineTest {
    @TempDir
    static Path tmp;
    static EmbeddedKafkaBroker broker;
    static ModelHolder models;

    @BeforeAll
    static void start() throws IOException {
        broker = EmbeddedKafkaBroker.start(tmp);
        models = PipelineFixture.tinyModel(tmp);
    }

    @AfterAll
    static void stop() {
        models.clear();
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void tenThousandRecordsComeOutEmbeddedInOrderPerPartition() throws Exception {
        int n = 10_000;
        int partitions = 3;
        PipelineFixture f = new PipelineFixture(broker, partitions);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<ConsumerRecord<byte[], byte[]>> out;
        try (KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers());
             KafkaTestClient.Reader reader = kafka.reader(f.output)) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // every tenth a plain-text value: its id is its key
                records.add(i % 10 == 0 ? plain(f, i, partitions) : f.jsonRecord(i, partitions));
            }
            kafka.send(records);
            EmbeddingPipeline pipeline = new EmbeddingPipeline(f.settings(), models, new ServiceMetrics(meters));
            long start = System.nanoTime();
            pipeline.start();
            out = reader.read(n, Duration.ofMinutes(5));
            double seconds = (System.nanoTime() - start) / 1e9;
            pipeline.close();
            System.out.printf("pipeline: %d records in %.1f s (%.0f records/s)%n", n, seconds, n / seconds);
        }
        assertThat(out).hasSize(n);
        Map<String, EmbeddingRecord> byKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            byKey.put(new String(r.key(), StandardCharsets.UTF_8), EmbeddingRecord.fromJson(r.value()));
        }
        assertThat(byKey).hasSize(n);
        List<String> texts = IntStream.range(0, n).mapToObj(PipelineFixture::text).toList();
        long start = System.nanoTime();
        float[][] expected = models.current().orElseThrow().embedder().embed(texts);
        System.out.printf("direct SentenceEmbedder.embed: %d texts in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
        for (int i = 0; i < n; i++) {
            EmbeddingRecord e = byKey.get(PipelineFixture.key(i));
            assertThat(e.id()).isEqualTo(i % 10 == 0 ? PipelineFixture.key(i) : PipelineFixture.id(i));
            assertThat(e.model()).isEqualTo(new EmbeddingRecord.ModelRef("tiny", ModelLoader.LOCAL_VERSION));
            assertThat(e.dim()).isEqualTo(64);
            assertClose(e.embedding(), expected[i]);
        }
        assertInputOrderPerPartition(out);
        assertThat(meters.get("bellm.records").tag("outcome", "embedded").counter().count()).isEqualTo(n);
        assertThat(meters.get("bellm.batch.size").summary().max()).isLessThanOrEqualTo(64);
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWhileGoodOnesFlow() throws Exception {
        PipelineFixture f = new PipelineFixture(broker, 2);
        int maxBytes = 2000;
        Map<String, byte[]> bad = new HashMap<>();
        // keyed <expected reason>/<case>
        bad.put("malformed-json/unterminated", bytes("{\"id\": 1, \"text\": "));
        bad.put("malformed-json/text-not-a-string", bytes("{\"id\": 2, \"text\": 42}"));
        bad.put("empty-text/blank", bytes("{\"id\": \"e\", \"text\": \"   \"}"));
        bad.put("empty-text/no-value", null);
        bad.put("invalid-utf8/latin1", new byte[] {'c', 'a', 'f', (byte) 0xE9});
        bad.put("too-large/plain", bytes("x".repeat(maxBytes + 1)));
        bad.put("too-many-tokens/plain", bytes("y".repeat(PipelineFixture.MAX_TOKENS + 1))); // one token per byte
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int good = 0;
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            for (int k = 0; k < 3; k++) {
                records.add(f.jsonRecord(good++, 2));
            }
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(f.input, 0, bytes(e.getKey()), e.getValue());
            r.headers().add("trace", bytes("t-" + e.getKey()));
            records.add(r);
        }
        records.add(f.jsonRecord(good++, 2));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<ConsumerRecord<byte[], byte[]>> dead;
        List<ConsumerRecord<byte[], byte[]>> embedded;
        try (KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers());
             KafkaTestClient.Reader outReader = kafka.reader(f.output);
             KafkaTestClient.Reader dlqReader = kafka.reader(f.dlq);
             EmbeddingPipeline pipeline = new EmbeddingPipeline(f.settings(maxBytes), models,
                     new ServiceMetrics(meters))) {
            pipeline.start();
            kafka.send(records);
            embedded = outReader.read(good, Duration.ofMinutes(2));
            dead = dlqReader.read(bad.size(), Duration.ofMinutes(1));
        }
        assertThat(embedded).hasSize(good);
        assertThat(dead).hasSize(bad.size());
        for (ConsumerRecord<byte[], byte[]> d : dead) {
            String name = new String(d.key(), StandardCharsets.UTF_8);
            assertThat(header(d, DeadLetters.REASON)).as(name).isEqualTo(name.substring(0, name.indexOf('/')));
            byte[] value = bad.get(name);
            // a dead letter carries at most maxBytes of the value, and says how long it was
            assertThat(d.value()).as(name).isEqualTo(value == null || value.length <= maxBytes ? value
                    : Arrays.copyOf(value, maxBytes));
            assertThat(header(d, DeadLetters.VALUE_BYTES)).as(name)
                    .isEqualTo(value != null && value.length > maxBytes ? Integer.toString(value.length) : null);
            assertThat(header(d, "trace")).isEqualTo("t-" + name);
            assertThat(header(d, DeadLetters.DETAIL)).isNotNull();
            assertSource(d, f.input);
        }
        assertThat(embedded).allSatisfy(e -> assertSource(e, f.input));
        assertThat(meters.get("bellm.dlq.records").tag("reason", "malformed-json").counter().count()).isEqualTo(2);
        assertThat(meters.get("bellm.dlq.records").tag("reason", "too-many-tokens").counter().count()).isEqualTo(1);
    }

    /**
     * The poison pill: a 3 MB value sent gzip-compressed is a few KB to the broker, which accepts it, but a dead
     * letter carrying all of it would be over the producer's 1 MB max.request.size. It is dead-lettered once, cut,
     * and the partition moves on: each good neighbour comes out once and the committed offset passes all three.
     */
    @Test
    void aRecordTooLargeToDeadLetterWholeIsCutOnceAndThePartitionMovesOn() throws Exception {
        PipelineFixture f = new PipelineFixture(broker, 1);
        byte[] pill = bytes("{\"id\": \"pill\", \"text\": \"" + "spam ".repeat(600_000) + "\"}");
        List<ProducerRecord<byte[], byte[]>> records = List.of(f.jsonRecord(0, 1),
                new ProducerRecord<>(f.input, 0, bytes("pill"), pill), f.jsonRecord(1, 1));
        List<ConsumerRecord<byte[], byte[]>> embedded;
        List<ConsumerRecord<byte[], byte[]>> dead;
        try (KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers(), Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20));
             KafkaTestClient.Reader outReader = kafka.reader(f.output);
             KafkaTestClient.Reader dlqReader = kafka.reader(f.dlq);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
             EmbeddingPipeline pipeline = new EmbeddingPipeline(f.settings(), models,
                     new ServiceMetrics(new SimpleMeterRegistry()))) {
            pipeline.start();
            kafka.send(records);
            dead = dlqReader.read(1, Duration.ofMinutes(1));
            awaitCommitted(admin, f.group, new TopicPartition(f.input, 0), 3, Duration.ofMinutes(1));
            // the commit follows the outputs' acknowledgements: everything that will come out is there
            outReader.read(2, Duration.ofMinutes(1));
            embedded = outReader.readFor(Duration.ofSeconds(2));
        }
        assertThat(embedded).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly(PipelineFixture.key(0), PipelineFixture.key(1));
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(header(d, DeadLetters.REASON)).isEqualTo("too-large");
            assertThat(d.value()).isEqualTo(Arrays.copyOf(pill, 65536));
            assertThat(header(d, DeadLetters.VALUE_BYTES)).isEqualTo(Integer.toString(pill.length));
            assertSource(d, f.input);
            assertThat(header(d, SourceHeaders.OFFSET)).isEqualTo("1");
        });
    }

    /** A failure the pipeline cannot go past ends its thread, and the liveness check says so (the pod restarts). */
    @Test
    void aPipelineThatDiesTurnsLivenessDown() throws Exception {
        PipelineFixture f = new PipelineFixture(broker, 1);
        // a real failure: a new group with no committed offset and no reset policy
        PipelineSettings settings = f.settings(65536, Map.of("auto.offset.reset", "none"));
        try (EmbeddingPipeline pipeline = new EmbeddingPipeline(settings, models,
                new ServiceMetrics(new SimpleMeterRegistry()))) {
            assertThat(pipeline.death()).isEmpty();
            pipeline.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (pipeline.death().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(pipeline.death()).containsInstanceOf(NoOffsetForPartitionException.class);
            HealthCheckResponse live = ServiceLiveness.of(Map.of("pipeline", pipeline.death().get()));
            assertThat(live.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(live.getData().orElseThrow().get("pipeline").toString())
                    .contains("NoOffsetForPartitionException");
        }
    }

    private static void awaitCommitted(Admin admin, String group, TopicPartition partition, long offset,
            Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(partition);
            if (committed != null && committed.offset() >= offset) {
                return;
            }
            assertThat(System.nanoTime()).as("group %s committed %s, not %d", group, committed, offset)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void assertSource(ConsumerRecord<byte[], byte[]> out, String inputTopic) {
        assertThat(header(out, SourceHeaders.TOPIC)).isEqualTo(inputTopic);
        assertThat(Integer.parseInt(header(out, SourceHeaders.PARTITION))).isNotNegative();
        assertThat(Long.parseLong(header(out, SourceHeaders.OFFSET))).isNotNegative();
    }

    /**
     * A model whose tokenizer knows a token its embedding table lacks (a corrupt package): the model really fails on
     * any text with that token. After the batch's attempts, its texts go one by one: only the poisoned ones are
     * dead-lettered, the others come out embedded, and the pipeline goes on.
     */
    @Test
    void textsTheModelFailsOnAreDeadLetteredAfterTheBatchsAttempts() throws Exception {
        Path dir = TinyModelFactory.writeHfDirectory(tmp.resolve("corrupt"), 13);
        addTokenBeyondTheEmbeddings(dir.resolve("tokenizer.json"), POISON);
        ModelHolder corrupt = new ModelHolder();
        corrupt.switchTo(new ModelLoader(null, null, PipelineFixture.LIMITS).loadLocal(dir, "corrupt"));
        PipelineFixture f = new PipelineFixture(broker, 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(i % 10 == 3 ? new ProducerRecord<>(f.input, 0, bytes("poisoned-" + i),
                    bytes("text with " + POISON + " " + i)) : f.jsonRecord(i, 1));
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<ConsumerRecord<byte[], byte[]>> embedded;
        List<ConsumerRecord<byte[], byte[]>> dead;
        try (KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers());
             KafkaTestClient.Reader outReader = kafka.reader(f.output);
             KafkaTestClient.Reader dlqReader = kafka.reader(f.dlq);
             EmbeddingPipeline pipeline = new EmbeddingPipeline(f.settings(), corrupt, new ServiceMetrics(meters))) {
            pipeline.start();
            kafka.send(records);
            outReader.read(36, Duration.ofMinutes(2));
            dead = dlqReader.read(4, Duration.ofMinutes(1));
            kafka.send(List.of(f.jsonRecord(100, 1))); // and the pipeline goes on
            embedded = outReader.read(37, Duration.ofMinutes(1));
        } finally {
            corrupt.clear();
        }
        assertThat(dead).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("poisoned-3", "poisoned-13", "poisoned-23", "poisoned-33");
        assertThat(dead).allSatisfy(d -> {
            assertThat(header(d, DeadLetters.REASON)).isEqualTo("embedding-failed");
            assertThat(header(d, DeadLetters.DETAIL)).isNotBlank();
        });
        assertThat(embedded).extracting(r -> EmbeddingRecord.fromJson(r.value()).id())
                .hasSize(37).doesNotHaveDuplicates().contains("id-0", "id-39", "id-100");
        assertThat(meters.get("bellm.dlq.records").tag("reason", "embedding-failed").counter().count()).isEqualTo(4);
    }

    private static final String POISON = "[NOT-IN-THE-MODEL]";

    /** Registers {@code content} as an added token with the first id past the model's vocabulary. */
    private static void addTokenBeyondTheEmbeddings(Path tokenizerJson, String content) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode tokenizer = (ObjectNode) mapper.readTree(tokenizerJson.toFile());
        int id = TinyModelFactory.tinyConfig().vocabSize();
        ((ObjectNode) tokenizer.path("model").path("vocab")).put(content, id);
        ((ArrayNode) tokenizer.withArray("added_tokens")).addObject().put("id", id).put("content", content)
                .put("single_word", false).put("lstrip", false).put("rstrip", false).put("normalized", false)
                .put("special", false);
        mapper.writeValue(tokenizerJson.toFile(), tokenizer);
    }

    @Test
    void aCrashedConsumerLosesNothingAndARestartedOneResumes() throws Exception {
        int n = 3000;
        PipelineFixture f = new PipelineFixture(broker, 2);
        try (KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers());
             KafkaTestClient.Reader reader = kafka.reader(f.output)) {
            kafka.send(IntStream.range(0, n).mapToObj(i -> f.jsonRecord(i, 2)).toList());
            EmbeddingPipeline first = new EmbeddingPipeline(f.settings(), models, metrics());
            first.start();
            reader.read(n / 5, Duration.ofMinutes(1));
            first.halt(); // mid-stream, nothing more committed

            EmbeddingPipeline second = new EmbeddingPipeline(f.settings(), models, metrics());
            second.start();
            List<ConsumerRecord<byte[], byte[]>> out = reader.readUntil(r -> ids(r).size() == n, Duration.ofMinutes(3));
            second.close(); // graceful: commits what it produced
            System.out.printf("crash mid-stream: %d records, %d outputs, %d duplicates%n", n, out.size(),
                    out.size() - n);
            assertThat(ids(out)).hasSize(n);

            // after a graceful stop the committed offsets cover everything: a new consumer has nothing to redo
            int before = out.size();
            try (EmbeddingPipeline third = new EmbeddingPipeline(f.settings(), models, metrics())) {
                third.start();
                Thread.sleep(3000);
            }
            assertThat(reader.readFor(Duration.ofSeconds(2))).hasSize(before);
        }
    }

    private static ProducerRecord<byte[], byte[]> plain(PipelineFixture f, int i, int partitions) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(f.input, i % partitions, bytes(PipelineFixture.key(i)),
                bytes(PipelineFixture.text(i)));
        r.headers().add("seq", bytes(Integer.toString(i)));
        return r;
    }

    /** Records of one input partition (seq % partitions) appear in input order within each output partition. */
    static void assertInputOrderPerPartition(List<ConsumerRecord<byte[], byte[]>> out) {
        Map<String, Integer> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            int seq = Integer.parseInt(header(r, "seq"));
            String stream = r.partition() + "/" + (seq % 3);
            Integer previous = last.put(stream, seq);
            assertThat(previous == null || previous < seq).as("order in " + stream).isTrue();
        }
    }

    static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int d = 0; d < expected.length; d++) {
            assertThat(Math.abs(actual[d] - expected[d])).as("dimension " + d).isLessThanOrEqualTo(1e-5f);
        }
    }
}
