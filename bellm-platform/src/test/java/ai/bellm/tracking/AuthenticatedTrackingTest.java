package ai.bellm.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.testing.MlflowServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform's MLflow client against a real MLflow server running its basic-auth app: with the right credentials
 * every kind of call works (runs, metrics, artifacts through the server's proxy, the registry); with wrong ones or
 * none the error says so, at once, and never shows the password.
 */
class AuthenticatedTrackingTest {
    private static final String PASSWORD = "s3cret-" + UUID.randomUUID();

    @TempDir
    static Path state;
    static MlflowServer server;

    @BeforeAll
    static void start() {
        server = MlflowServer.startWithBasicAuth(state.resolve("mlflow"), PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyKindOfCallWorksWithTheRightCredentials(@TempDir Path work) throws Exception {
        TrackingConfig config = TrackingConfig.of(server.uri())
                .withCredentials(TrackingCredentials.basic(MlflowServer.ADMIN, PASSWORD));
        String model = "auth-" + UUID.randomUUID();
        try (MlflowTracking mlflow = new MlflowTracking(config)) {
            String runId;
            try (TrackedRun run = mlflow.startRun("authenticated", "train", Map.of("kind", "test"))) {
                runId = run.runId();
                run.logParam("lr", "0.001");
                run.logMetric("loss", 0.5, 1);
                Path weights = Files.writeString(work.resolve("weights.bin"), "weights");
                run.uploadArtifact(weights, "model/weights.bin");
                run.finish();
            }
            assertThat(mlflow.metricHistory(runId, "loss")).hasSize(1);
            mlflow.registry().ensureModel(model);
            ModelVersion version = mlflow.registry().createVersion(model, runId, "model", Map.of());
            mlflow.registry().setAlias(model, ModelRegistry.CHAMPION, version.version());
            Path downloaded = mlflow.registry().download(mlflow.registry().resolve("models:/" + model + "@champion"),
                    work.resolve("download"));
            assertThat(Files.readString(downloaded.resolve("weights.bin"))).isEqualTo("weights");
        }
    }

    @Test
    void wrongOrMissingCredentialsAreRefusedAtOnceWithAClearError() {
        for (TrackingCredentials credentials : new TrackingCredentials[] {
                TrackingCredentials.basic(MlflowServer.ADMIN, "not-the-password"), TrackingCredentials.NONE}) {
            TrackingConfig config = TrackingConfig.of(server.uri()).withCredentials(credentials)
                    .withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10)); // a retry would take 10 s
            try (MlflowTracking mlflow = new MlflowTracking(config)) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> mlflow.experimentId("authenticated"))
                        .isInstanceOfSatisfying(MlflowApiException.class, e -> assertThat(e.status()).isEqualTo(401))
                        .hasMessageContaining("the tracking server refused these credentials (" + credentials + ")")
                        .hasMessageContaining(TrackingCredentials.PASSWORD_ENV)
                        .hasMessageNotContaining("not-the-password");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void credentialsComeFromMlflowsVariablesAndNeverShow() {
        assertThat(TrackingCredentials.fromEnv(Map.of())).isSameAs(TrackingCredentials.NONE);
        TrackingCredentials basic = TrackingCredentials.fromEnv(Map.of(TrackingCredentials.USERNAME_ENV, "alice",
                TrackingCredentials.PASSWORD_ENV, "pw-123"));
        assertThat(basic.authorization()).contains("Basic YWxpY2U6cHctMTIz");
        TrackingCredentials token = TrackingCredentials.fromEnv(Map.of(TrackingCredentials.TOKEN_ENV, "tok-456",
                TrackingCredentials.USERNAME_ENV, "alice", TrackingCredentials.PASSWORD_ENV, "pw-123"));
        assertThat(token.authorization()).contains("Bearer tok-456");
        TrackingConfig config = TrackingConfig.of("http://mlflow:5000").withCredentials(basic);
        assertThat(config.toString() + basic + token).doesNotContain("pw-123").doesNotContain("tok-456")
                .contains("basic auth as alice").contains("bearer token");
        assertThatThrownBy(() -> TrackingCredentials.fromEnv(Map.of(TrackingCredentials.USERNAME_ENV, "alice")))
                .hasMessageContaining(TrackingCredentials.PASSWORD_ENV + " is not");
    }
}
