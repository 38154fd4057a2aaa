package ai.bellm.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.embed.EmbeddingModel;
import ai.bellm.embed.Vectors;
import ai.bellm.model.LayerAttention;
import ai.bellm.model.TinyModelFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EmbedCommandTest {

    @TempDir
    static Path dir;
    private static Path model;

    @BeforeAll
    static void tinyModel() throws IOException {
        model = TinyModelFactory.writeHfDirectory(dir.resolve("tiny"), 3);
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = EvalWorker.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printsOneJsonLinePerTextWithTheEmbeddingTheLibraryComputes() throws IOException {
        Run run = run("embed", "--model", model.toString(), "--bidirectional-from", "2", "first text", "second");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(2);

        float[][] expected;
        try (EmbeddingModel tiny = EmbeddingModel.load(model)) {
            expected = tiny.embedder(tiny.defaults().withAttention(LayerAttention.bidirectionalFrom(2)))
                    .embed(List.of("first text", "second"));
        }
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 2; i++) {
            JsonNode line = json.readTree(lines.get(i));
            assertThat(line.get("dim").asInt()).isEqualTo(64);
            float[] printed = new float[64];
            for (int d = 0; d < 64; d++) {
                printed[d] = line.get("embedding").get(d).floatValue();
            }
            assertThat(printed).containsExactly(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
        }
        assertThat(json.readTree(lines.get(0)).get("text").asText()).isEqualTo("first text");
    }

    @Test
    void cosinePrintsTheSimilarityOfTheFirstTwoTexts() {
        Run run = run("embed", "--model", model.toString(), "--cosine", "a dog runs", "a dog is running");
        assertThat(run.exitCode()).as(run.err()).isZero();
        double printed = Double.parseDouble(run.out().trim());
        try (EmbeddingModel tiny = EmbeddingModel.load(model)) {
            float[][] v = tiny.embedder(tiny.defaults()).embed(List.of("a dog runs", "a dog is running"));
            assertThat(printed).isCloseTo(Vectors.cosine(v[0], v[1]), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void badInputGivesOneClearLineAndExitCodeOne() {
        Run missing = run("embed", "--model", dir.resolve("missing.gguf").toString(), "text");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("missing.gguf").doesNotContain("\tat ");

        Run badPrompt = run("embed", "--model", model.toString(), "--prompt", "no placeholder", "text");
        assertThat(badPrompt.exitCode()).isEqualTo(1);
        assertThat(badPrompt.err()).contains("must contain {text} exactly once");

        Run beyond = run("embed", "--model", model.toString(), "--bidirectional-from", "9", "text");
        assertThat(beyond.exitCode()).isEqualTo(1);
        assertThat(beyond.err()).contains("beyond the model's 4 layers");
    }
}
