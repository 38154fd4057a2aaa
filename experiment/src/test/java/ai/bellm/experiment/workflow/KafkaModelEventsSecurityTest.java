package ai.bellm.experiment.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.events.ModelPromoted;
import ai.bellm.kafka.EmbeddedKafkaBroker;
import ai.bellm.kafka.SaslSslListener;
import ai.bellm.testing.KafkaTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's ModelPromoted producer against a real KRaft broker's SASL_SSL listener (SCRAM-SHA-512, TLS). */
class KafkaModelEventsSecurityTest {
    private static final String USER = "operator";
    private static final String PASSWORD = "pw" + UUID.randomUUID().toString().replace("-", "");
    private static final ExperimentRef REF = new ExperimentRef("team", "exp", "uid", 1);

    @Test
    void eventsArePublishedOverSaslSslAndAWrongPasswordIsReported(@TempDir Path tmp) {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startWithSaslSsl(tmp, USER, PASSWORD)) {
            SaslSslListener listener = broker.saslSsl().orElseThrow();
            String topic = "events-" + UUID.randomUUID();
            broker.createTopics(Map.of(topic, 1));
            try (KafkaModelEvents events = new KafkaModelEvents(broker.saslSslBootstrapServers(), topic,
                    Duration.ofSeconds(10), listener.clientProperties(USER, PASSWORD));
                 KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers());
                 KafkaTestClient.Reader reader = kafka.reader(topic)) {
                events.promoted("reg", "3", Map.of("spearman", 80.0), REF);
                ModelPromoted event = ModelPromoted.fromJson(reader.read(1, Duration.ofMinutes(1)).get(0).value());
                assertThat(event.model()).isEqualTo("reg");
                assertThat(event.version()).isEqualTo("3");
            }
            try (KafkaModelEvents events = new KafkaModelEvents(broker.saslSslBootstrapServers(), topic,
                    Duration.ofSeconds(5), listener.clientProperties(USER, "wrong"))) {
                assertThatThrownBy(() -> events.promoted("reg", "4", Map.of("spearman", 81.0), REF))
                        .isInstanceOf(EventsUnavailableException.class)
                        .hasMessageContaining("Authentication failed")
                        .hasMessageNotContaining(PASSWORD);
            }
        }
    }
}
