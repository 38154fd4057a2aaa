package ai.bellm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskSpecTest {

    @Test
    void parsesNameFormatAndPath() {
        assertThat(TaskSpec.parse("stsb-dev=stsb:/data/sts-dev.csv"))
                .isEqualTo(new TaskSpec("stsb-dev", DataFormat.STSB, Path.of("/data/sts-dev.csv")));
        assertThat(TaskSpec.parse("STS12=senteval:data/STS/STS12-en-test"))
                .isEqualTo(new TaskSpec("STS12", DataFormat.SENTEVAL, Path.of("data/STS/STS12-en-test")));
    }

    @Test
    void pathMayContainColonsAndEquals() {
        assertThat(TaskSpec.parse("x=jsonl:/d/a:b=c.jsonl").path()).isEqualTo(Path.of("/d/a:b=c.jsonl"));
    }

    @Test
    void badSpecsAreExplained() {
        assertThatThrownBy(() -> TaskSpec.parse("/data/sts-dev.csv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad task spec '/data/sts-dev.csv': expected NAME=FORMAT:PATH with FORMAT one of "
                        + "stsb, sick, senteval, jsonl");
        assertThatThrownBy(() -> TaskSpec.parse("dev=csv:/d.csv"))
                .hasMessage("bad task spec 'dev=csv:/d.csv': unknown data format 'csv', expected one of "
                        + "stsb, sick, senteval, jsonl");
        assertThatThrownBy(() -> TaskSpec.parse("dev=stsb:"))
                .hasMessageStartingWith("bad task spec 'dev=stsb:': empty PATH");
        assertThatThrownBy(() -> TaskSpec.parse("=stsb:/d.csv"))
                .hasMessageStartingWith("bad task spec '=stsb:/d.csv': empty NAME");
        assertThatThrownBy(() -> TaskSpec.parse("my dev=stsb:/d.csv"))
                .hasMessageStartingWith("bad task spec 'my dev=stsb:/d.csv': invalid task name 'my dev'");
    }

    @Test
    void taskNamesMustBeUnique() {
        assertThat(TaskSpec.parseAll(List.of("a=stsb:/a.csv", "b=sick:/b.txt"))).hasSize(2);
        assertThatThrownBy(() -> TaskSpec.parseAll(List.of("a=stsb:/a.csv", "a=sick:/b.txt")))
                .hasMessage("bad task spec 'a=sick:/b.txt': duplicate task name 'a'");
    }

    @Test
    void loadsWithTheReaderOfItsFormat(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("d.jsonl"), "{\"s1\": \"Up\", \"s2\": \"Down\", \"score\": 0.5}\n");

        StsDataset data = TaskSpec.parse("mine=jsonl:" + file).load(BadLinePolicy.FAIL);

        assertThat(data.name()).isEqualTo("mine");
        assertThat(data.pairs()).containsExactly(new ScoredPair("Up", "Down", 0.5));
    }
}
