package ai.bellm.serve;

import static ai.bellm.serve.PipelineFixture.ids;
import static ai.bellm.serve.PipelineFixture.metrics;
import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.kafka.EmbeddedKafkaBroker;
import ai.bellm.testing.KafkaTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline in exactly-once mode against a broker of its own (transactions need its transaction log): a crash in
 * the middle of a transaction, then a restart with the same transactional id. The at-least-once crash test of
 * {@link EmbeddingPipelineTest} shows the duplicates this mode removes.
 */
class ExactlyOnceTest {

    private static final Map<String, Object> READ_COMMITTED =
            Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");

    @Test
    void aCrashMidTransactionLeavesEachEmbeddingOnceForReadCommittedConsumers(@TempDir Path tmp) throws Exception {
        int n = 3000;
        ModelHolder models = PipelineFixture.tinyModel(tmp);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(tmp)) {
            PipelineFixture f = new PipelineFixture(broker, 2);
            try (KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers());
                 KafkaTestClient.Reader committed = kafka.reader(f.output, READ_COMMITTED);
                 KafkaTestClient.Reader everything = kafka.reader(f.output)) {
                kafka.send(IntStream.range(0, n).mapToObj(i -> f.jsonRecord(i, 2)).toList());
                EmbeddingPipeline first = new EmbeddingPipeline(f.exactlyOnceSettings(), models, metrics());
                first.start();
                committed.read(n / 5, Duration.ofMinutes(1));
                first.halt(); // mid-stream: the batch being embedded is sent, its transaction left open

                EmbeddingPipeline second = new EmbeddingPipeline(f.exactlyOnceSettings(), models, metrics());
                second.start(); // the same transactional id: the open transaction is aborted at once
                List<ConsumerRecord<byte[], byte[]>> out = committed.readUntil(r -> ids(r).size() == n,
                        Duration.ofMinutes(3));
                second.close();
                out = committed.readFor(Duration.ofSeconds(2)); // nothing more may come
                int written = everything.readUntil(r -> ids(r).size() == n, Duration.ofMinutes(1)).size();
                System.out.printf("exactly once, crash mid-transaction: %d records, %d committed outputs,"
                        + " %d outputs in the log with aborted ones%n", n, out.size(), written);
                assertThat(ids(out)).hasSize(n);
                assertThat(out).hasSize(n);
                assertThat(second.death()).isEmpty();
            }
        } finally {
            models.clear();
        }
    }
}
