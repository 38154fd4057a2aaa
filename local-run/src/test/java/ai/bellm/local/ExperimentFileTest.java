package ai.bellm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentFileTest {
    @TempDir
    Path dir;

    private static Path example(String name) {
        return Path.of(System.getProperty("bellm.examplesDir"), name);
    }

    @Test
    void theExamplesAreValidExperiments() {
        assertThat(ExperimentFile.read(example("tiny.yaml")).getSpec().promotion.registeredModel)
                .isEqualTo("bellm-tiny");
        assertThat(ExperimentFile.read(example("smollm2-stsb.yaml")).getSpec().evaluation.tasks).hasSize(2);
    }

    @Test
    void aBadFileIsOneLineNamingTheFileAndTheProblem() throws Exception {
        String tiny = Files.readString(example("tiny.yaml"));
        Path badTask = Files.writeString(dir.resolve("bad-task.yaml"),
                tiny.replace("tiny-dev=jsonl:/data/tiny/dev.jsonl", "tiny-dev=csv:/data/tiny/dev.jsonl"));
        Path noPromotion = Files.writeString(dir.resolve("no-promotion.yaml"),
                tiny.substring(0, tiny.indexOf("  promotion:")));
        Path pod = Files.writeString(dir.resolve("pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n");

        assertThatThrownBy(() -> ExperimentFile.read(badTask)).hasMessageStartingWith(badTask + ": data.eval: bad task"
                + " spec 'tiny-dev=csv:/data/tiny/dev.jsonl'");
        assertThatThrownBy(() -> ExperimentFile.read(noPromotion))
                .hasMessage(noPromotion + ": spec.promotion.registeredModel is required");
        assertThatThrownBy(() -> ExperimentFile.read(pod)).hasMessage(pod + ": want kind BeLLMExperiment, apiVersion"
                + " bellm.ai/v1alpha1; found kind Pod, apiVersion v1");
        assertThatThrownBy(() -> ExperimentFile.read(dir.resolve("none.yaml"))).hasMessage(dir.resolve("none.yaml")
                + ": no such file");

        StringWriter err = new StringWriter();
        int exit = LocalRun.commandLine(new TestWorkers(), () -> {
            throw new AssertionError("not reached");
        }).setErr(new PrintWriter(err)).execute("run", badTask.toString());
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("bellm run: " + badTask + ": data.eval: bad task spec")
                .doesNotContain("\n");
    }
}
