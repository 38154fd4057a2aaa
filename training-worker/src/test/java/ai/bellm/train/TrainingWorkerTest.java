package ai.bellm.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainingWorkerTest {

    @Test
    void helpAndVersion() {
        StringWriter out = new StringWriter();
        CommandLine cli = TrainingWorker.commandLine().setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("Usage: bellm", "AnglE", "train");
        out.getBuffer().setLength(0);
        assertThat(cli.execute("--version")).isZero();
        assertThat(out.toString()).startsWith("bellm "); // "bellm dev" from classes, the jar's version from a jar
    }
}
