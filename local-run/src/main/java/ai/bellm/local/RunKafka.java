package ai.bellm.local;

import ai.bellm.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.Map;

/** The Kafka of a run: a broker embedded in this process (its log in a temporary directory), or the user's. */
final class RunKafka implements AutoCloseable {
    private static final String DLQ_TOPIC = "bellm.text.dlq";

    private final EmbeddedKafkaBroker broker;
    private final String bootstrapServers;
    private boolean closed;

    private RunKafka(EmbeddedKafkaBroker broker, String bootstrapServers) {
        this.broker = broker;
        this.bootstrapServers = bootstrapServers;
    }

    /** The user's broker at {@code external}, or when null a new embedded one with the service's topics. */
    static RunKafka start(String external) {
        if (external != null && !external.isBlank()) {
            return new RunKafka(null, external);
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of(System.getProperty("java.io.tmpdir")));
        broker.createTopics(Map.of(KafkaRoundTrip.INPUT_TOPIC, 1, KafkaRoundTrip.OUTPUT_TOPIC, 1, DLQ_TOPIC, 1,
                RunCommand.EVENTS_TOPIC, 1));
        return new RunKafka(broker, broker.bootstrapServers());
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Stops the embedded broker and deletes its log; the user's broker is left alone. Once: on Ctrl-C the shutdown
     * hook and the run's own clean-up both get here.
     */
    @Override
    public synchronized void close() {
        if (broker != null && !closed) {
            closed = true;
            broker.close();
        }
    }
}
