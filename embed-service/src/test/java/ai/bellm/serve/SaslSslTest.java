package ai.bellm.serve;

import static ai.bellm.serve.PipelineFixture.ids;
import static ai.bellm.serve.PipelineFixture.metrics;
import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.kafka.EmbeddedKafkaBroker;
import ai.bellm.kafka.SaslSslListener;
import ai.bellm.testing.ConfigMappings;
import ai.bellm.testing.KafkaTestClient;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline against a real KRaft broker's SASL_SSL listener (SCRAM-SHA-512 over TLS with the broker's own
 * certificate), configured the way a deployment is: the security settings only in the client properties file that
 * {@code bellm.kafka.client-properties-file} names.
 */
class SaslSslTest {
    private static final String USER = "embed";
    private static final String PASSWORD = "pw" + UUID.randomUUID().toString().replace("-", "");

    @Test
    void recordsGoRoundTripOverSaslSsl(@TempDir Path tmp) throws Exception {
        int n = 50;
        ModelHolder models = PipelineFixture.tinyModel(tmp);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startWithSaslSsl(tmp, USER, PASSWORD)) {
            PipelineFixture f = new PipelineFixture(broker, 1);
            Map<String, Object> client = new HashMap<>(listener(broker).clientProperties(USER, PASSWORD));
            try (KafkaTestClient kafka = new KafkaTestClient(broker.saslSslBootstrapServers(), client);
                 KafkaTestClient.Reader reader = kafka.reader(f.output, client);
                 EmbeddingPipeline pipeline = new EmbeddingPipeline(settings(broker, f, PASSWORD, tmp), models,
                         metrics())) {
                pipeline.start();
                kafka.send(IntStream.range(0, n).mapToObj(i -> f.jsonRecord(i, 1)).toList());
                assertThat(ids(reader.readUntil(r -> ids(r).size() == n, Duration.ofMinutes(1)))).hasSize(n);
                assertThat(pipeline.death()).isEmpty();
            }
        } finally {
            models.clear();
        }
    }

    @Test
    void aWrongPasswordEndsThePipelineWithTheAuthenticationFailure(@TempDir Path tmp) throws Exception {
        ModelHolder models = PipelineFixture.tinyModel(tmp);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startWithSaslSsl(tmp, USER, PASSWORD);
             EmbeddingPipeline pipeline = new EmbeddingPipeline(
                     settings(broker, new PipelineFixture(broker, 1), "not" + PASSWORD, tmp), models, metrics())) {
            pipeline.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (pipeline.death().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(pipeline.death()).hasValueSatisfying(e -> {
                assertThat(e).isInstanceOf(SaslAuthenticationException.class)
                        .hasMessageContaining("Authentication failed");
                assertThat(e.getMessage()).doesNotContain(PASSWORD);
            });
        } finally {
            models.clear();
        }
    }

    /** The service's settings from its environment: the broker's SASL_SSL address and the properties file. */
    private static PipelineSettings settings(EmbeddedKafkaBroker broker, PipelineFixture f, String password, Path tmp)
            throws IOException {
        Properties properties = new Properties();
        properties.putAll(listener(broker).clientProperties(USER, password));
        Path file = Files.createTempFile(tmp, "kafka-client", ".properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            properties.store(out, "as the chart mounts it from a Secret");
        }
        return PipelineSettings.of(ConfigMappings.load(ServiceConfig.class, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.saslSslBootstrapServers(), "BELLM_KAFKA_GROUP_ID", f.group,
                "BELLM_KAFKA_INPUT_TOPIC", f.input, "BELLM_KAFKA_OUTPUT_TOPIC", f.output,
                "BELLM_KAFKA_DLQ_TOPIC", f.dlq, "BELLM_KAFKA_CLIENT_PROPERTIES_FILE", file.toString())));
    }

    private static SaslSslListener listener(EmbeddedKafkaBroker broker) {
        return broker.saslSsl().orElseThrow();
    }
}
