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
        CommandLine cli = new CommandLine(new TrainingWorker()).setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("bellm-train", "AnglE");
        assertThat(cli.execute("--version")).isZero();
        assertThat(out.toString()).contains("bellm training-worker");
    }
}
