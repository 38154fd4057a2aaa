package ai.bellm.serve;

import static ai.bellm.serve.PipelineFixture.ids;
import static ai.bellm.serve.PipelineFixture.metrics;
import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.kafka.EmbeddedKafkaBroker;
import ai.bellm.testing.KafkaTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline across a restart of its broker. A broker of its own: the restarted one is not shared with other
 * tests, whose topics it would otherwise carry through the restart.
 */
class BrokerRestartTest {

    @Test
    void aBrokerRestartMidStreamLosesNothing(@TempDir Path tmp) throws Exception {
        int n = 2000;
        ModelHolder models = PipelineFixture.tinyModel(tmp);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(tmp)) {
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
                List<ConsumerRecord<byte[], byte[]>> out = reader.readUntil(r -> ids(r).size() == n,
                        Duration.ofMinutes(3));
                System.out.printf("broker restart: %d records, %d duplicates%n", n, out.size() - n);
                assertThat(ids(out)).hasSize(n);
                assertThat(pipeline.death()).isEmpty();
            }
        } finally {
            models.clear();
        }
    }
}
