package ai.bellm.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.model.LayerAttention;
import ai.bellm.model.TinyModelFactory;
import ai.bellm.recipe.Pooling;
import ai.bellm.recipe.PromptTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentenceEmbedderTest {

    @TempDir
    static Path dir;
    private static EmbeddingModel tiny;

    @BeforeAll
    static void load() throws IOException {
        tiny = EmbeddingModel.load(TinyModelFactory.writeHfDirectory(dir.resolve("tiny"), 42));
    }

    @AfterAll
    static void release() {
        tiny.close();
    }

    @Test
    void anEmbeddingIsTheSameAloneAndInsideAPaddedBatch() {
        String sentence = "A cat sits on the mat.";
        List<String> batch = List.of("A much longer sentence that forces plenty of padding onto the others in the batch.",
                sentence, "Short.");
        for (Pooling pooling : Pooling.values()) {
            for (LayerAttention attention : List.of(LayerAttention.allCausal(), LayerAttention.bidirectionalFrom(2))) {
                SentenceEmbedder embedder = tiny.embedder(tiny.defaults().withPooling(pooling).withAttention(attention));
                float[] alone = embedder.embed(List.of(sentence))[0];
                float[] inBatch = embedder.embed(batch)[1];
                assertThat(maxAbsDiff(alone, inBatch)).as("%s, %s", pooling, attention).isLessThan(1e-5f);
            }
        }
    }

    @Test
    void keptStatesOfThePromptsOpeningChangeNoEmbedding() {
        List<String> texts = List.of("A cat sits on the mat.", "Short.", "123 numbers first", "émigré café",
                "A much longer sentence, with punctuation; and more words than the others!");
        assertThat(new PromptPrefixCache(tiny.model(), tiny.tokenizer()).of(PromptTemplate.DEFAULT))
                .as("states kept for the default prompt's opening words")
                .hasValueSatisfying(states -> assertThat(states.length()).isGreaterThanOrEqualTo(5));
        for (PromptTemplate prompt : List.of(PromptTemplate.DEFAULT, new PromptTemplate("Query:{text}"),
                PromptTemplate.NONE)) {
            for (Pooling pooling : Pooling.values()) {
                for (LayerAttention attention : List.of(LayerAttention.allCausal(),
                        LayerAttention.bidirectionalFrom(2))) {
                    for (int batchSize : new int[] {1, 4}) {
                        EmbeddingOptions options = tiny.defaults().withPrompt(prompt).withPooling(pooling)
                                .withAttention(attention).withBatchSize(batchSize);
                        float[][] kept = tiny.embedder(options).embed(texts);
                        float[][] computed = new SentenceEmbedder(tiny.model(), tiny.tokenizer(), options).embed(texts);
                        for (int i = 0; i < texts.size(); i++) {
                            assertThat(maxAbsDiff(computed[i], kept[i])).as("%s, %s, %s, batch %d, text %d",
                                    prompt, pooling, attention, batchSize, i).isLessThan(1e-5f);
                        }
                    }
                }
            }
        }
    }

    @Test
    void resultsComeBackInInputOrderWhateverTheBatching() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            texts.add("sentence number " + i + " " + "x".repeat(i * 7 % 23));
        }
        float[][] byOne = tiny.embedder(tiny.defaults().withBatchSize(1)).embed(texts);
        float[][] byFour = tiny.embedder(tiny.defaults().withBatchSize(4)).embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(maxAbsDiff(byOne[i], byFour[i])).as("text %d", i).isLessThan(1e-5f);
        }
        assertThat(maxAbsDiff(byOne[0], byOne[1])).isGreaterThan(1e-4f);
    }

    @Test
    void overlongTextIsCutInsideTheTextAndThePromptSurvives() {
        SentenceEmbedder embedder = tiny.embedder(tiny.defaults().withMaxTokens(60, false));
        int[] prompted = embedder.tokenize("word ".repeat(100));
        assertThat(prompted.length).isLessThanOrEqualTo(60);
        String decoded = tiny.tokenizer().decode(prompted);
        assertThat(decoded).startsWith("The representative word for sentence word word").endsWith(" is:\"");

        SentenceEmbedder strict = tiny.embedder(tiny.defaults().withMaxTokens(60, true));
        assertThatThrownBy(() -> strict.tokenize("word ".repeat(100)))
                .isInstanceOf(InputTooLongException.class)
                .hasMessageContaining("over the limit of 60");
    }

    @Test
    void normalizedEmbeddingsHaveUnitLength() {
        float[] v = tiny.embedder(tiny.defaults().withNormalize(true)).embed(List.of("unit"))[0];
        double norm = Math.sqrt(dot(v, v));
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void corruptOrMissingWeightsFailWithAMessageNamingTheFile() throws IOException {
        Path model = TinyModelFactory.writeHfDirectory(dir.resolve("corrupt"), 1);
        Path weights = model.resolve("model.safetensors");
        try (FileChannel channel = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(weights) / 2);
        }
        assertThatThrownBy(() -> EmbeddingModel.load(model))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("model.safetensors");

        assertThatThrownBy(() -> EmbeddingModel.load(dir.resolve("nowhere.gguf")))
                .hasMessageContaining("nowhere.gguf");
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
