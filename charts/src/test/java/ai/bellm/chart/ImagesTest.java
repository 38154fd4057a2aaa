package ai.bellm.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The workers and embed-service images on the local docker daemon (Testcontainers), run as Kubernetes' restricted
 * profile runs them ({@link LocalImages#restricted}). The operator image runs in {@link ClusterEndToEndTest}.
 * Skipped without a docker daemon or root (which the image build needs).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImagesTest {
    private static final String MODEL = "/data/" + TinyExampleVolume.MODEL;
    private Path volume;

    @BeforeAll
    void buildImagesAndTheTinyModel(@TempDir Path dir) throws Exception {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable() && "root".equals(System.getProperty("user.name")),
                "no docker daemon (scripts/container-runtime.sh start) or not root: the images are not built");
        LocalImages.build();
        volume = TinyExampleVolume.write(dir);
    }

    private GenericContainer<?> restricted(String image) {
        return LocalImages.restricted(image, volume);
    }

    private String runWorker(String... args) {
        return LocalImages.runWorker(volume, Map.of(), Duration.ofMinutes(2), args);
    }

    @Test
    void theWorkersImageEmbedsWithTheTinyModel() {
        String out = runWorker("embed", "--model", MODEL, "--cosine", "A man is playing a guitar.",
                "Someone plays an instrument.");
        double cosine = Double.parseDouble(out.strip().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(cosine).isBetween(-1.0, 1.0);
    }

    @Test
    void theWorkersImageEvaluatesTheTinyModel() {
        String out = runWorker("evaluate", "--model", MODEL, "--task", "tiny-dev=jsonl:/data/" + TinyExampleVolume.DEV,
                "--out", "/tmp/evaluation.json");
        assertThat(out).contains("tiny-dev").containsIgnoringCase("spearman");
    }

    @Test
    void theEmbedServiceImageServesOpenAiEmbeddingsAsANonRootUserOnAReadOnlyRoot() throws Exception {
        try (GenericContainer<?> service = restricted("embed-service")
                .withEnv("BELLM_MODEL_PATH", MODEL)
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/q/health/ready").forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(2)))) {
            service.start();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + service.getHost() + ":" + service.getMappedPort(8080) + "/v1/embeddings"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"input\": [\"a cat\", \"a dog\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = new ObjectMapper().readTree(response.body());
            assertThat(body.path("data")).hasSize(2);
            assertThat(body.path("data").get(0).path("embedding")).hasSize(64);
            ExecResult id = service.execInContainer("id", "-u");
            assertThat(id.getStdout().strip()).isEqualTo("10001");
            ExecResult write = service.execInContainer("touch", "/opt/written");
            assertThat(write.getExitCode()).isNotZero();
            assertThat(write.getStderr()).contains("Read-only file system");
        }
    }
}
