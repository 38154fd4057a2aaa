package ai.bellm.experiment.crd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.experiment.workflow.SpecValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** crds/ holds what the build generates from the CRD classes, and examples that the classes accept as valid. */
class CrdFilesTest {
    static final Path CRDS = Path.of("..", "crds");
    static final String CRD_FILE = "bellmexperiments.bellm.ai-v1.yml";

    @Test
    void theCommittedCrdIsTheGeneratedOne() throws IOException {
        Path generated = Path.of("target", "crds", CRD_FILE);
        assertThat(Files.readString(CRDS.resolve(CRD_FILE)))
                .as("crds/%s is stale: run `mvn -pl experiment -am process-classes && cp experiment/target/crds/%s crds/`",
                        CRD_FILE, CRD_FILE)
                .isEqualTo(Files.readString(generated));
    }

    @Test
    void theExamplesAreValidExperiments() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(CRDS.resolve("examples"))) {
            examples = files.sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
        for (Path example : examples) {
            BeLLMExperiment experiment = Serialization.unmarshal(Files.readString(example), BeLLMExperiment.class);
            assertThat(SpecValidator.problems(experiment.getSpec())).as(example.toString()).isEmpty();
        }
    }
}
