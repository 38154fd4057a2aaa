package ai.bellm.eval;

import static ai.bellm.eval.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.embed.EmbeddingModel;
import ai.bellm.eval.CliFixtures.Run;
import ai.bellm.metrics.Vectors;
import ai.bellm.model.LayerAttention;
import ai.bellm.model.TinyModelFactory;
import ai.bellm.recipe.Pooling;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedCommandTest {

    @TempDir
    static Path dir;
    private static Path model;

    @BeforeAll
    static void tinyModel() throws IOException {
        model = TinyModelFactory.writeHfDirectory(dir.resolve("tiny"), 3);
    }

    @Test
    void printsOneJsonLinePerTextWithTheEmbeddingTheLibraryComputes() throws IOException {
        Run run = run("embed", "--model", model.toString(), "--bidirectional-from", "2", "first text", "second");
        assertThat(run.exit()).as(run.err()).isZero();
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
        Run run = run("embed", "--model", model.toString(), "--pooling", "mean", "--bidirectional-from", "1",
                "--cosine", "a dog runs", "a dog is running");
        assertThat(run.exit()).as(run.err()).isZero();
        double printed = Double.parseDouble(run.out().trim());
        try (EmbeddingModel tiny = EmbeddingModel.load(model)) {
            float[][] v = tiny.embedder(tiny.defaults().withPooling(Pooling.MEAN)
                    .withAttention(LayerAttention.bidirectionalFrom(1))).embed(List.of("a dog runs", "a dog is running"));
            assertThat(printed).isCloseTo(Vectors.cosine(v[0], v[1]), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void precisionBf16EmbedsCloseToF32AndAnUnknownOneIsRefused() {
        String[] texts = {"a dog runs", "a dog is running"};
        Run bf16 = run("embed", "--model", model.toString(), "--precision", "bf16", "--cosine", texts[0], texts[1]);
        assertThat(bf16.exit()).as(bf16.err()).isZero();
        Run f32 = run("embed", "--model", model.toString(), "--cosine", texts[0], texts[1]);
        assertThat(Double.parseDouble(bf16.out().trim()))
                .isCloseTo(Double.parseDouble(f32.out().trim()), org.assertj.core.data.Offset.offset(1e-2));

        Run unknown = run("embed", "--model", model.toString(), "--precision", "fp8", "a text");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("unknown precision 'fp8'").contains("f32 or bf16");
    }

    @Test
    void torchProfileRecordsTheForwardsOpsWithTheirShapes() throws IOException {
        Path trace = dir.resolve("trace.json");
        Run run = run("embed", "--model", model.toString(), "--torch-profile", trace.toString(), "a text", "another");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().lines()).hasSize(2);

        JsonNode events = new ObjectMapper().readTree(trace.toFile());
        events = events.isArray() ? events : events.get("traceEvents");
        List<String> ops = new ArrayList<>();
        events.forEach(e -> ops.add(e.path("name").asText()));
        // the projections of the tiny model's layers, with the hidden size 64 in their input shapes
        assertThat(ops).contains("aten::matmul", "aten::softmax");
        assertThat(events.toString()).contains("64]");
    }

    @Test
    void badInputGivesOneClearLineAndExitCodeOne() {
        Run missing = run("embed", "--model", dir.resolve("missing.gguf").toString(), "text");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("missing.gguf").doesNotContain("\tat ");

        Run badPrompt = run("embed", "--model", model.toString(), "--prompt", "no placeholder", "text");
        assertThat(badPrompt.exit()).isEqualTo(1);
        assertThat(badPrompt.err()).contains("must contain {text} exactly once");

        Run beyond = run("embed", "--model", model.toString(), "--bidirectional-from", "9", "text");
        assertThat(beyond.exit()).isEqualTo(1);
        assertThat(beyond.err()).contains("beyond the model's 4 layers");
    }
}
