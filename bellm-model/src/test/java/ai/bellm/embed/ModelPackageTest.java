package ai.bellm.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.metrics.Vectors;
import ai.bellm.model.DecoderLayer;
import ai.bellm.model.LayerAttention;
import ai.bellm.model.LlamaCheckpoint;
import ai.bellm.model.LoraConfig;
import ai.bellm.model.Precision;
import ai.bellm.model.TinyModelFactory;
import ai.bellm.model.TrainableWeights;
import ai.bellm.recipe.BaseModelLocation;
import ai.bellm.recipe.Pooling;
import ai.bellm.recipe.PromptTemplate;
import ai.bellm.weights.Tensor;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackageTest {

    private static final List<String> TEXTS = List.of("a small package", "weights on top of a base");
    private static final EmbeddingOptions SETTINGS = EmbeddingOptions.defaults()
            .withAttention(LayerAttention.bidirectionalFrom(2)).withPooling(Pooling.MEAN)
            .withPrompt(new PromptTemplate("Sentence: {text} means"));

    @TempDir
    Path dir;

    /** A package whose adapters and top layer hold random (non-zero) values, and the embeddings it must give. */
    private record Written(Path pkg, float[][] expected) {
    }

    private Written writePackage(Path base, Path pkgDir) throws IOException {
        return writePackage(base, pkgDir, false);
    }

    private Written writePackage(Path base, Path pkgDir, boolean bundled) throws IOException {
        return writePackage(base, pkgDir, bundled, Precision.F32);
    }

    private Written writePackage(Path base, Path pkgDir, boolean bundled, Precision precision) throws IOException {
        LoraConfig lora = new LoraConfig(2, 4f, 0f, EnumSet.of(DecoderLayer.Proj.Q, DecoderLayer.Proj.UP), 1, 2);
        try (EmbeddingModel model = EmbeddingModel.load(base); LlamaCheckpoint checkpoint = LlamaCheckpoint.open(base)) {
            TrainableWeights trainable = TrainableWeights.attach(model.model(), Optional.of(lora), 3, 7);
            java.util.SplittableRandom random = new java.util.SplittableRandom(1);
            trainable.parameters().values().forEach(p -> {
                float[] v = new float[Math.toIntExact(p.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (random.nextDouble() - 0.5) * 0.2f;
                }
                p.set(v);
            });
            String basePath = bundled ? ModelPackage.bundleBase(checkpoint, pkgDir) : base.toString();
            ModelPackage pkg = new ModelPackage("tiny-bellm", basePath, checkpoint.sha256(),
                    checkpoint.config(), SETTINGS.recipe(), precision, Optional.of(lora), 3,
                    new ObjectMapper().createObjectNode().put("steps", 0));
            Map<String, Tensor> exported = trainable.export();
            pkg.write(pkgDir, exported, checkpoint.tokenizerJson());
            return new Written(pkgDir, model.embedder(SETTINGS).embed(TEXTS));
        }
    }

    @Test
    void aPackageLoadsWithItsSettingsAndGivesTheTrainedEmbeddings() throws IOException {
        Path base = TinyModelFactory.writeHfDirectory(dir.resolve("base"), 5);
        Written written = writePackage(base, dir.resolve("pkg"));
        assertThat(written.pkg().resolve(ModelPackage.MANIFEST)).exists();

        try (EmbeddingModel loaded = EmbeddingModel.load(written.pkg())) {
            assertThat(loaded.name()).isEqualTo("tiny-bellm");
            assertThat(loaded.defaults().pooling()).isEqualTo(Pooling.MEAN);
            assertThat(loaded.defaults().attention()).isEqualTo(LayerAttention.bidirectionalFrom(2));
            assertThat(loaded.defaults().prompt().template()).isEqualTo("Sentence: {text} means");
            float[][] embeddings = loaded.embedder(loaded.defaults()).embed(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(embeddings[i]).containsExactly(written.expected()[i],
                        org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        try (EmbeddingModel untrained = EmbeddingModel.load(base)) {
            float[] plain = untrained.embedder(SETTINGS).embed(TEXTS)[0];
            assertThat(plain).isNotEqualTo(written.expected()[0]);
        }
    }

    @Test
    void aPackageEmbedsInItsPrecisionUnlessToldOtherwise() throws IOException {
        Path base = TinyModelFactory.writeHfDirectory(dir.resolve("base"), 5);
        Written written = writePackage(base, dir.resolve("pkg"), false, Precision.BF16);
        assertThat(ModelPackage.read(written.pkg()).precision()).isEqualTo(Precision.BF16);

        try (EmbeddingModel bf16 = EmbeddingModel.load(written.pkg())) {
            assertThat(bf16.model().precision()).isEqualTo(Precision.BF16);
            float[][] embeddings = bf16.embedder(bf16.defaults()).embed(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(Vectors.cosine(embeddings[i], written.expected()[i]))
                        .as("cosine of BF16 (adapters merged) to F32, text %d", i).isGreaterThan(0.999);
            }
        }
        try (EmbeddingModel f32 = EmbeddingModel.load(written.pkg(), Optional.empty(), Optional.of(Precision.F32))) {
            assertThat(f32.model().precision()).isEqualTo(Precision.F32);
            assertThat(f32.embedder(f32.defaults()).embed(TEXTS)[0])
                    .containsExactly(written.expected()[0], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void aDifferentBaseIsRejected() throws IOException {
        Path base = TinyModelFactory.writeHfDirectory(dir.resolve("base"), 5);
        Written written = writePackage(base, dir.resolve("pkg"));
        Path other = TinyModelFactory.writeHfDirectory(dir.resolve("other"), 6);
        assertThatThrownBy(() -> EmbeddingModel.load(written.pkg(), Optional.of(other)))
                .hasMessageContaining("does not match the package");

        Files.move(base, dir.resolve("moved"));
        assertThatThrownBy(() -> EmbeddingModel.load(written.pkg()))
                .hasMessageContaining("not found at").hasMessageContaining(BaseModelLocation.ENV);
        try (EmbeddingModel relocated = EmbeddingModel.load(written.pkg(), Optional.of(dir.resolve("moved")))) {
            assertThat(relocated.name()).isEqualTo("tiny-bellm");
        }
    }

    @Test
    void aBundledPackageLoadsWithoutItsOriginalBaseAndStillChecksTheBasesDigest() throws IOException {
        Path base = TinyModelFactory.writeHfDirectory(dir.resolve("base"), 5);
        Written written = writePackage(base, dir.resolve("pkg"), true);
        deleteTree(base);
        Path moved = Files.move(written.pkg(), dir.resolve("downloaded"));

        try (EmbeddingModel loaded = EmbeddingModel.load(moved)) {
            float[][] embeddings = loaded.embedder(loaded.defaults()).embed(TEXTS);
            assertThat(embeddings[0]).containsExactly(written.expected()[0], org.assertj.core.data.Offset.offset(1e-5f));
        }

        Path weights = moved.resolve(ModelPackage.BUNDLED_BASE).resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        assertThatThrownBy(() -> EmbeddingModel.load(moved)).hasMessageContaining("does not match the package");
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
