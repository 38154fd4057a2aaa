package ai.bellm.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.bellm.metrics.Vectors;
import ai.bellm.model.DecoderLayer;
import ai.bellm.model.LayerAttention;
import ai.bellm.model.LoraConfig;
import ai.bellm.model.Precision;
import ai.bellm.model.TinyModelFactory;
import ai.bellm.model.TrainableWeights;
import ai.bellm.recipe.Pooling;
import ai.bellm.testing.RealModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model with its projections stored in BF16 embeds as its F32 self does, within BF16's rounding, and only embeds. */
class Bf16EmbeddingTest {

    private static final List<String> TEXTS = List.of("A girl is styling her hair.",
            "A group of men play soccer on the beach.", "Short.", "émigré café, 123 numbers",
            "A much longer sentence, with punctuation; and more words than the others in this little batch!");

    @TempDir
    static Path dir;

    @Test
    void bf16EmbeddingsPointWhereF32OnesDo() throws IOException {
        Path tiny = TinyModelFactory.writeHfDirectory(dir.resolve("tiny"), 42);
        try (EmbeddingModel f32 = EmbeddingModel.load(tiny); EmbeddingModel bf16 = loadBf16(tiny)) {
            assertThat(f32.model().precision()).isEqualTo(Precision.F32);
            assertThat(bf16.model().precision()).isEqualTo(Precision.BF16);
            List<LayerAttention> attentions = List.of(LayerAttention.allCausal(), LayerAttention.bidirectionalFrom(2));
            for (Pooling pooling : Pooling.values()) {
                for (LayerAttention attention : attentions) {
                    EmbeddingOptions options = f32.defaults().withPooling(pooling).withAttention(attention);
                    assertThat(minCosine(f32.embedder(options).embed(TEXTS), bf16.embedder(options).embed(TEXTS)))
                            .as("%s, %s", pooling, attention).isGreaterThan(0.999);
                }
            }
        }
    }

    @Test
    void aBf16ModelRefusesTrainingAndGoingBack() throws IOException {
        Path tiny = TinyModelFactory.writeHfDirectory(dir.resolve("tiny-train"), 43);
        LoraConfig lora = new LoraConfig(2, 4f, 0f, EnumSet.of(DecoderLayer.Proj.Q), 0, 1);
        try (EmbeddingModel bf16 = loadBf16(tiny)) {
            assertThatThrownBy(() -> TrainableWeights.attach(bf16.model(), Optional.of(lora), 2, 7))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("only embeds");
            assertThatThrownBy(() -> bf16.model().storeProjectionsIn(Precision.F32))
                    .hasMessageContaining("cannot go back to F32");
        }
    }

    @Test
    void anUnknownPrecisionNamesTheChoices() {
        assertThat(Precision.parse(" BF16 ")).isEqualTo(Precision.BF16);
        assertThatThrownBy(() -> Precision.parse("fp8")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'fp8'").hasMessageContaining("f32 or bf16");
    }

    @Test
    void realSmolLM2EmbedsInBf16AsInF32() {
        assumeTrue(RealModels.smollm2Gguf().isPresent(), RealModels.smollm2Missing());
        Path gguf = RealModels.smollm2Gguf().get();
        try (EmbeddingModel f32 = EmbeddingModel.load(gguf); EmbeddingModel bf16 = loadBf16(gguf)) {
            EmbeddingOptions options = f32.defaults();
            assertThat(minCosine(f32.embedder(options).embed(TEXTS), bf16.embedder(options).embed(TEXTS)))
                    .isGreaterThan(0.999);
        }
    }

    private static EmbeddingModel loadBf16(Path model) {
        return EmbeddingModel.load(model, Optional.empty(), Optional.of(Precision.BF16));
    }

    private static double minCosine(float[][] a, float[][] b) {
        double min = 1;
        for (int i = 0; i < a.length; i++) {
            min = Math.min(min, Vectors.cosine(a[i], b[i]));
        }
        return min;
    }
}
