package ai.bellm.experiment.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.api.BeLLMExperiment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The example experiments in crds/examples are resources the workflow accepts. */
class ExampleExperimentsTest {

    @Test
    void theExamplesAreValidExperiments() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(Path.of("..", "crds", "examples"))) {
            examples = files.sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
        for (Path example : examples) {
            BeLLMExperiment experiment = Serialization.unmarshal(Files.readString(example), BeLLMExperiment.class);
            assertThat(SpecValidator.problems(experiment.getSpec())).as(example.toString()).isEmpty();
        }
    }
}
