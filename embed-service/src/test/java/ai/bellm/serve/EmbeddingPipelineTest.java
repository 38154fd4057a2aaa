package ai.bellm.serve;

import static ai.bellm.serve.PipelineFixture.bytes;
import static ai.bellm.serve.PipelineFixture.header;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline against a real KRaft broker with a tiny local model: volume, dead letters, crash and restarts. */
class EmbeddingPipelineTest {
    @TempDir
    static Path tmp;
    static EmbeddedKafkaBroker broker;
    static ModelHolder models = new ModelHolder();

    @BeforeAll
    static void start() throws IOException {
        broker = EmbeddedKafkaBroker.start(tmp);
        Path dir = TinyModelFactory.writeHfDirectory(tmp.resolve("tiny"), 11);
        models.switchTo(new ModelLoader(null, null, PipelineFixture.LIMITS).loadLocal(dir, "tiny"));
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
            assertThat(d.value()).as(name).isEqualTo(bad.get(name));
            assertThat(header(d, "trace")).isEqualTo("t-" + name);
            assertThat(header(d, DeadLetters.DETAIL)).isNotNull();
            assertThat(header(d, DeadLetters.SOURCE_TOPIC)).isEqualTo(f.input);
            assertThat(header(d, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(Long.parseLong(header(d, DeadLetters.SOURCE_OFFSET))).isNotNegative();
        }
        assertThat(meters.get("bellm.dlq.records").tag("reason", "malformed-json").counter().count()).isEqualTo(2);
        assertThat(meters.get("bellm.dlq.records").tag("reason", "too-many-tokens").counter().count()).isEqualTo(1);
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
            assertThat(reader.readUntil(r -> true, Duration.ofSeconds(1))).hasSize(before);
        }
    }

    @Test
    void aBrokerRestartMidStreamLosesNothing() throws Exception {
        int n = 2000;
        PipelineFixture f = new PipelineFixture(broker, 2);
        try (KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers());
             KafkaTestClient.Reader reader = kafka.reader(f.output);
             EmbeddingPipeline pipeline = new EmbeddingPipeline(f.settings(), models, metrics())) {
            pipeline.start();
            kafka.send(IntStream.range(0, n / 2).mapToObj(i -> f.jsonRecord(i, 2)).toList());
            reader.read(n / 10, Duration.ofMinutes(1));
            broker.stop();
            Thread.sleep(1000);
            broker.start();
            kafka.send(IntStream.range(n / 2, n).mapToObj(i -> f.jsonRecord(i, 2)).toList());
            List<ConsumerRecord<byte[], byte[]>> out = reader.readUntil(r -> ids(r).size() == n, Duration.ofMinutes(3));
            System.out.printf("broker restart: %d records, %d duplicates%n", n, out.size() - n);
        }
    }

    private static ServiceMetrics metrics() {
        return new ServiceMetrics(new SimpleMeterRegistry());
    }

    private static Set<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(EmbeddingRecord.fromJson(r.value()).id()));
        return ids;
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
