package ai.bellm.tracking;

import ai.bellm.io.AtomicFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one HTTP path to MLflow (JSON REST and the artifact proxy), over java.net.http with {@link RetryPolicy}.
 * Not mlflow-client's caller: that one retries every non-429 HTTP error (400s included) three times at once
 * and has no configurable timeouts.
 */
final class MlflowRest {
    private static final String REST = "/api/2.0/mlflow/";
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";
    private static final int MAX_MESSAGE_CHARS = 300;

    private final URI base;
    private final RetryPolicy retry;
    private final Duration requestTimeout;
    private final TrackingCredentials credentials;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    MlflowRest(TrackingConfig config) {
        this.base = config.trackingUri();
        this.retry = RetryPolicy.of(config);
        this.requestTimeout = config.requestTimeout();
        this.credentials = config.credentials();
        // HTTP/1.1: the default HTTP/2 attempt sends an h2c upgrade header the server only warns about, every request
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    ObjectNode object() {
        return json.createObjectNode();
    }

    /** {@code [{"key": k, "value": v}, ...]}, MLflow's shape for tags and params. */
    ArrayNode keyValues(Iterable<Map.Entry<String, String>> entries) {
        ArrayNode array = json.createArrayNode();
        entries.forEach(e -> array.addObject().put("key", e.getKey()).put("value", e.getValue()));
        return array;
    }

    JsonNode get(String endpoint, Map<String, String> query) {
        return sendJson("GET", REST + endpoint + "?" + query(query), BodyPublishers.noBody());
    }

    JsonNode post(String endpoint, JsonNode body) {
        return sendJson("POST", REST + endpoint, BodyPublishers.ofString(body.toString()));
    }

    JsonNode delete(String endpoint, JsonNode body) {
        return sendJson("DELETE", REST + endpoint, BodyPublishers.ofString(body.toString()));
    }

    /** Lists one directory level of the artifact proxy; {@code artifactPath} as in {@code <experimentId>/<runId>/artifacts/...}. */
    JsonNode listArtifacts(String artifactPath) {
        return sendJson("GET", ARTIFACTS + "?" + query(Map.of("path", artifactPath)), BodyPublishers.noBody());
    }

    void upload(Path file, String artifactPath) {
        sendArtifact("PUT", artifactPath, request(ARTIFACTS + "/" + encodePath(artifactPath))
                .header("Content-Type", "application/octet-stream").PUT(ofFile(file)).build());
    }

    /** Deletes a file or a directory tree of the artifact proxy. */
    void deleteArtifact(String artifactPath) {
        sendArtifact("DELETE", artifactPath, request(ARTIFACTS + "/" + encodePath(artifactPath)).DELETE().build());
    }

    private void sendArtifact(String method, String artifactPath, HttpRequest req) {
        String request = label(method + " artifact " + artifactPath);
        retry.call(request, () -> {
            HttpResponse<String> res = http.send(req, BodyHandlers.ofString());
            check(request, res.statusCode(), res.body());
            return null;
        });
    }

    /** Downloads to a temporary sibling first, so a failed transfer never leaves a truncated target. */
    void download(String artifactPath, Path target) {
        String request = label("GET artifact " + artifactPath);
        HttpRequest req = request(ARTIFACTS + "/" + encodePath(artifactPath)).GET().build();
        retry.call(request, () -> {
            HttpResponse<InputStream> res = http.send(req, BodyHandlers.ofInputStream());
            try (InputStream body = res.body()) {
                if (res.statusCode() != 200) {
                    check(request, res.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
                }
                AtomicFile.write(target, tmp -> Files.copy(body, tmp, StandardCopyOption.REPLACE_EXISTING));
            }
            return null;
        });
    }

    private JsonNode sendJson(String method, String path, BodyPublisher body) {
        String request = label(method + " " + path);
        HttpRequest req = request(path).header("Content-Type", "application/json").method(method, body).build();
        return retry.call(request, () -> {
            HttpResponse<String> res = http.send(req, BodyHandlers.ofString());
            check(request, res.statusCode(), res.body());
            return res.body().isBlank() ? object() : json.readTree(res.body());
        });
    }

    /** What a log line or an error says about a request: it names the server, which may not be the one meant. */
    private String label(String request) {
        return request + " on " + base;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(requestTimeout);
        credentials.authorization().ifPresent(value -> request.header("Authorization", value));
        return request;
    }

    /**
     * Fails unless the answer is a success. The exception carries MLflow's own error code and message, cut to
     * {@link #MAX_MESSAGE_CHARS}; an answer that is not MLflow's JSON error (a proxy's page, another server's) is
     * described by its size, never copied: messages end up in logs and in experiment status.
     */
    private void check(String request, int status, String body) {
        if (status / 100 == 2) {
            return;
        }
        String code = "HTTP_" + status;
        String message = status == 401 || status == 403
                ? "the tracking server refused these credentials (" + credentials + "): set "
                        + TrackingCredentials.USERNAME_ENV + " and " + TrackingCredentials.PASSWORD_ENV + ", or "
                        + TrackingCredentials.TOKEN_ENV
                : "an answer that is not MLflow's JSON error (" + body.length() + " characters)";
        try {
            JsonNode error = json.readTree(body);
            if (error != null && error.path("error_code").isTextual()) {
                code = error.path("error_code").asText();
                String text = error.path("message").asText("");
                message = text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + "..." : text;
            }
        } catch (IOException notJson) {
            // described by its size above
        }
        throw new MlflowApiException(request, status, code, message);
    }

    private static BodyPublisher ofFile(Path file) {
        try {
            return BodyPublishers.ofFile(file);
        } catch (IOException e) {
            throw new TrackingException("cannot read " + file, e);
        }
    }

    private static String query(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encodePath(String path) {
        return Arrays.stream(path.split("/")).map(MlflowRest::encode).collect(Collectors.joining("/"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
