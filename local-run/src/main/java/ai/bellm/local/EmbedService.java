package ai.bellm.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The embedding service of a local run ({@code bellm serve}): serves the registered model's {@code @champion} from
 * MLflow and embeds {@code bellm.text} into {@code bellm.embeddings} on the run's Kafka.
 */
final class EmbedService implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    private final Process process;
    private final Path log;
    private final int port;

    private EmbedService(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the service on {@code port} (0: a free one), with its log in {@code dir}. */
    static EmbedService start(WorkerProcesses processes, Path dir, String registeredModel, String mlflowUri,
                              String bootstrapServers, int port) throws IOException {
        Files.createDirectories(dir);
        int httpPort = port > 0 ? port : freePort();
        Path log = dir.resolve("serve.log");
        Process process = processes.start(List.of("serve"), Map.of(
                "BELLM_MODEL_REGISTRY_NAME", registeredModel,
                "MLFLOW_TRACKING_URI", mlflowUri,
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "BELLM_HTTP_PORT", Integer.toString(httpPort)), dir, log);
        return new EmbedService(process, log, httpPort);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    /** Waits until {@code /q/health/ready} answers 200: the champion is downloaded and loaded. */
    void awaitReady() throws InterruptedException, IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the embedding service exited (code " + process.exitValue() + "): "
                        + LocalStep.failureMessage(process.exitValue(), log));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the embedding service was not ready within " + READY_TIMEOUT.toMinutes()
                + " min; log: " + log);
    }

    /** Blocks until the service ends (with {@code --keep-serving}, until Ctrl-C). */
    void awaitExit() throws InterruptedException {
        process.waitFor();
    }

    @Override
    public void close() {
        ProcessStop.gracefully(process, Duration.ofSeconds(20));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
