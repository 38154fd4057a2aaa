package ai.bellm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.data.BadLinePolicy;
import ai.bellm.data.JsonlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data volume of a local run: paths mapped onto a directory, example files created or linked when missing. */
class ExampleVolumeTest {
    @TempDir
    Path dir;

    private final Supplier<Path> noSmollm2 = () -> {
        throw new AssertionError("SmolLM2 is not needed here");
    };

    private BeLLMExperimentSpec example(String file) {
        BeLLMExperiment experiment = ExperimentFile.read(Path.of(System.getProperty("bellm.examplesDir"), file));
        return experiment.getSpec();
    }

    @Test
    void theTinyExampleIsCreatedOnItsVolumeAndItsPathsPointThere() throws Exception {
        BeLLMExperimentSpec spec = example("tiny.yaml");
        Path volumeDir = dir.resolve("bellm-data");
        VolumeMapping volume = new VolumeMapping("bellm-data", spec.data.mountPath, volumeDir);
        ExampleVolume examples = ExampleVolume.standard(noSmollm2, () -> dir.resolve("no-data"));

        SpecPaths.of(spec).forEach(ref -> examples.ensure(volume, ref));
        SpecPaths.rewrite(spec, volume::local);

        assertThat(spec.baseModel.uri).isEqualTo(volumeDir.resolve("models/tiny").toString());
        assertThat(spec.data.train).containsExactly("tiny-train=jsonl:" + volumeDir.resolve("tiny/train.jsonl"));
        assertThat(spec.data.eval).containsExactly("tiny-dev=jsonl:" + volumeDir.resolve("tiny/dev.jsonl"));
        assertThat(volumeDir.resolve("models/tiny")).isDirectoryContaining("glob:**/config.json")
                .isDirectoryContaining("glob:**/model.safetensors").isDirectoryContaining("glob:**/tokenizer.json");
        assertThat(JsonlReader.readScored(volumeDir.resolve("tiny/dev.jsonl"), "dev", BadLinePolicy.FAIL).size())
                .isEqualTo(24);
        assertThat(Files.list(volumeDir.resolve("models"))).as("no partial files left").hasSize(1);
    }

    @Test
    void filesAlreadyOnTheVolumeAreLeftAlone() throws Exception {
        Path volumeDir = dir.resolve("v");
        Path own = Files.createDirectories(volumeDir.resolve("tiny")).resolve("train.jsonl");
        Files.writeString(own, "{\"s1\": \"mine\", \"s2\": \"mine too\", \"score\": 5}\n");
        VolumeMapping volume = new VolumeMapping("bellm-data", "/data", volumeDir);

        ExampleVolume.standard(noSmollm2, () -> dir).ensure(volume,
                new SpecPaths.Reference("data.train tiny-train", "/data/tiny/train.jsonl"));

        assertThat(own).hasContent("{\"s1\": \"mine\", \"s2\": \"mine too\", \"score\": 5}");
    }

    @Test
    void stsFilesAreLinkedFromTheDataDirectoryAndAMissingOneIsNamed() throws Exception {
        Path data = dir.resolve("shared-data");
        Path dev = Files.createDirectories(data.resolve("stsbenchmark")).resolve("sts-dev.csv");
        Files.writeString(dev, "x");
        Path volumeDir = dir.resolve("v");
        VolumeMapping volume = new VolumeMapping("bellm-data", "/data", volumeDir);
        ExampleVolume examples = ExampleVolume.standard(noSmollm2, () -> data);

        examples.ensure(volume, new SpecPaths.Reference("data.eval stsb-dev", "/data/stsbenchmark/sts-dev.csv"));

        assertThat(Files.readSymbolicLink(volumeDir.resolve("stsbenchmark/sts-dev.csv"))).isEqualTo(dev);
        assertThatThrownBy(() -> examples.ensure(volume,
                new SpecPaths.Reference("data.train stsb-train", "/data/stsbenchmark/sts-train.csv")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("data.train stsb-train: " + data.resolve("stsbenchmark/sts-train.csv") + " is missing: the"
                        + " example file comes from BELLM_DATA_DIR (" + data + ")");
    }

    @Test
    void aMissingFileThatIsNoExampleSaysWhereItShouldBe() {
        Path volumeDir = dir.resolve("v");
        VolumeMapping volume = new VolumeMapping("team-data", "/mnt/data", volumeDir);
        ExampleVolume examples = ExampleVolume.standard(noSmollm2, () -> dir);

        assertThatThrownBy(() -> examples.ensure(volume,
                new SpecPaths.Reference("baseModel.uri", "/mnt/data/models/llama.gguf")))
                .hasMessage("baseModel.uri: /mnt/data/models/llama.gguf is not on volume team-data ("
                        + volumeDir.resolve("models/llama.gguf") + " is missing) and is no example file this command"
                        + " can create; put it there, or map the claim elsewhere with --volume team-data=DIR");
        assertThatThrownBy(() -> examples.ensure(volume, new SpecPaths.Reference("data.eval x", "/elsewhere/x.jsonl")))
                .hasMessage("data.eval x: /elsewhere/x.jsonl does not exist (it is not under the volume's mount path"
                        + " /mnt/data)");
    }

    @Test
    void pathsOutsideTheMountStayAsTheyAre() {
        VolumeMapping volume = new VolumeMapping("c", "/data", dir);
        assertThat(volume.local("/data/a/b.csv")).isEqualTo(dir.resolve("a/b.csv").toString());
        assertThat(volume.local("/database/b.csv")).isEqualTo("/database/b.csv");
        assertThat(volume.local("/data")).isEqualTo("/data");
        assertThat(VolumeMapping.NONE.local("/data/a")).isEqualTo("/data/a");
        assertThat(List.of(volume.relative("/data/../etc/passwd"))).containsExactly(java.util.Optional.empty());
    }
}
