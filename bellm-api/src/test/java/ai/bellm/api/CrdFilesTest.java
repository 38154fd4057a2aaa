package ai.bellm.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** crds/ holds what the build generates from the CRD classes. */
class CrdFilesTest {
    static final Path CRDS = Path.of("..", "crds");
    static final String CRD_FILE = "bellmexperiments.bellm.ai-v1.yml";

    @Test
    void theCommittedCrdIsTheGeneratedOne() throws IOException {
        Path generated = Path.of("target", "crds", CRD_FILE);
        assertThat(Files.readString(CRDS.resolve(CRD_FILE)))
                .as("crds/%s is stale: run `mvn -pl bellm-api -am process-classes && cp bellm-api/target/crds/%s crds/`",
                        CRD_FILE, CRD_FILE)
                .isEqualTo(Files.readString(generated));
    }
}
