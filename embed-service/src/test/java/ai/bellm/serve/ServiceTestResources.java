package ai.bellm.serve;

import ai.bellm.kafka.EmbeddedKafkaBroker;
import ai.bellm.model.TinyModelFactory;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** A real KRaft broker and a tiny local model (seed 5) for the application under test. */
public class ServiceTestResources implements QuarkusTestResourceLifecycleManager {
    static final String INPUT = "svc.text";
    static final String OUTPUT = "svc.embeddings";
    static final int MAX_TOKENS = 256;
    static final int MAX_REQUEST_TOKENS = 4096;
    static final int MAX_QUEUED_REQUESTS = 2;
    static final String API_KEY = "test-key-" + java.util.UUID.randomUUID();

    private Path dir;
    private EmbeddedKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("bellm-service-test");
            broker = EmbeddedKafkaBroker.start(dir);
            broker.createTopics(Map.of(INPUT, 1, OUTPUT, 1));
            Path model = TinyModelFactory.writeHfDirectory(dir.resolve("tiny"), 5);
            return Map.of("bellm.model.path", model.toString(),
                    "bellm.kafka.bootstrap-servers", broker.bootstrapServers(),
                    "bellm.kafka.input-topic", INPUT,
                    "bellm.kafka.output-topic", OUTPUT,
                    "bellm.embedding.max-tokens", Integer.toString(MAX_TOKENS),
                    "bellm.rest.max-request-tokens", Integer.toString(MAX_REQUEST_TOKENS),
                    "bellm.rest.max-queued-requests", Integer.toString(MAX_QUEUED_REQUESTS),
                    "bellm.rest.api-keys", "an-older-key, " + API_KEY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        broker.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
