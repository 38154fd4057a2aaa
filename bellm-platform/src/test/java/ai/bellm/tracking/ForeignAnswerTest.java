package ai.bellm.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Errors from a server that is not MLflow (a tracking URI pointed elsewhere, a proxy's page): the answer's body
 * never reaches an exception message, which ends up in logs and in experiment status. A JDK HTTP server plays that
 * server, answering every request with {@link #answer}.
 */
class ForeignAnswerTest {

    private final HttpServer server;
    private volatile String answer;

    ForeignAnswerTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aPageThatIsNotMlflowsErrorIsDescribedByItsSizeNotCopied() {
        answer = "<html><body>internal admin console, session token s3cr3t</body></html>";
        try (MlflowTracking tracking = new MlflowTracking(TrackingConfig.of(uri()))) {
            assertThatThrownBy(() -> tracking.getRun("0123456789abcdef0123456789abcdef"))
                    .isInstanceOf(MlflowApiException.class)
                    .hasMessageContaining("HTTP 404 HTTP_404")
                    .hasMessageContaining("not MLflow's JSON error (" + answer.length() + " characters)")
                    .hasMessageNotContaining("s3cr3t");
        }
    }

    @Test
    void mlflowsOwnMessageIsKeptButCut() {
        answer = "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"" + "x".repeat(5000) + "\"}";
        try (MlflowTracking tracking = new MlflowTracking(TrackingConfig.of(uri()))) {
            assertThatThrownBy(() -> tracking.getRun("0123456789abcdef0123456789abcdef"))
                    .isInstanceOfSatisfying(MlflowApiException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(MlflowApiException.RESOURCE_DOES_NOT_EXIST);
                        assertThat(e.getMessage()).contains("x".repeat(300) + "...").hasSizeLessThan(500);
                    });
        }
    }

    private String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
