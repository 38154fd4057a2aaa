package ai.bellm.train;

import static ai.bellm.train.TrainFixtures.train;
import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.embed.EmbeddingModel;
import ai.bellm.embed.ModelPackage;
import ai.bellm.model.LayerAttention;
import ai.bellm.recipe.EmbeddingRecipe;
import ai.bellm.train.TrainFixtures.Run;
import ai.bellm.weights.Tensor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    @TempDir
    static Path shared;
    static Path model;
    static Path data;
    static Path dev;

    @BeforeAll
    static void fixtures() throws IOException {
        model = TrainFixtures.tinyModel(shared.resolve("tiny"));
        data = TrainFixtures.stsb(shared.resolve("train.tsv"), 48, 1);
        dev = TrainFixtures.stsb(shared.resolve("dev.tsv"), 24, 2);
    }

    private static List<String> args(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("--model", model.toString(), "--train", "sts=stsb:" + data,
                "--out", out.toString(), "--bidirectional-from", "3", "--lora-layers", "2-3", "--lora-rank", "4",
                "--batch-size", "8", "--seed", "5", "--log-every", "100"));
        args.addAll(List.of(extra));
        return args;
    }

    private static JsonNode manifest(Path pkg) throws IOException {
        return new ObjectMapper().readTree(pkg.resolve(ModelPackage.MANIFEST).toFile());
    }

    @Test
    void trainingLowersTheLossAndWritesAPackageThatEmbedLoads(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("pkg");
        Run run = train(args(out, "--max-steps", "40", "--lr", "1e-3", "--dev", "dev=stsb:" + dev, "--full-tune-layers", "1"));
        assertThat(run.exit()).as(run.err()).isZero();

        JsonNode training = manifest(out).get("training");
        assertThat(training.get("final_loss").asDouble()).isLessThan(training.get("first_loss").asDouble());
        assertThat(training.get("dev_spearman").get("dev").isNumber()).isTrue();
        assertThat(manifest(out).get("embedding").get("bidirectional_from").asInt()).isEqualTo(3);
        assertThat(manifest(out).get("weights").get("lora").get("last_layer").asInt()).isEqualTo(3);
        assertThat(manifest(out).get("embedding").get("precision").asText()).isEqualTo("f32");

        try (EmbeddingModel trained = EmbeddingModel.load(out); EmbeddingModel base = EmbeddingModel.load(model)) {
            assertThat(trained.defaults().attention()).isEqualTo(LayerAttention.bidirectionalFrom(3));
            float[] a = trained.embedder(trained.defaults()).embed(List.of("A man is playing a guitar."))[0];
            float[] b = base.embedder(trained.defaults()).embed(List.of("A man is playing a guitar."))[0];
            assertThat(a).isNotEqualTo(b);
        }
    }

    @Test
    void aTurningPointBecomesKByTheRuleWithTheModelsLayerCount(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("pkg");
        Run run = train("--model", model.toString(), "--train", "sts=stsb:" + data, "--out", out.toString(),
                "--turning-point", "4", "--lora-rank", "4", "--batch-size", "8", "--max-steps", "2",
                "--precision", "bf16");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode recipe = manifest(out).get("embedding");
        assertThat(recipe.get("precision").asText()).as("trained in F32, embeds in BF16").isEqualTo("bf16");
        // 4 layers: min(4, 4 - 2), so that the two top layers are bidirectional
        assertThat(recipe.get("bidirectional_from").asInt()).isEqualTo(2);
        assertThat(recipe.get("max_tokens").asInt()).isEqualTo(EmbeddingRecipe.DEFAULT_MAX_TOKENS);
        assertThat(recipe.get("prompt").asText()).isEqualTo(EmbeddingRecipe.DEFAULT.prompt().template());

        Run both = train(args(dir.resolve("both"), "--turning-point", "3", "--max-steps", "1"));
        assertThat(both.exit()).isNotZero();
        assertThat(both.err()).contains("give --turning-point or --bidirectional-from, not both");
        Run beyond = train("--model", model.toString(), "--train", "sts=stsb:" + data, "--out", dir + "/beyond",
                "--turning-point", "5", "--max-steps", "1");
        assertThat(beyond.err()).contains("turning point 5 is not a layer count of a model of 4 layers");
    }

    @Test
    void thePrefixCacheChangesNothingButTheCost(@TempDir Path dir) {
        Run cached = train(args(dir.resolve("cached"), "--max-steps", "6", "--lora-dropout", "0"));
        Run full = train(args(dir.resolve("full"), "--max-steps", "6", "--lora-dropout", "0", "--no-frozen-layer-cache"));
        assertThat(cached.exit()).as(cached.err()).isZero();
        assertThat(full.exit()).as(full.err()).isZero();
        assertThat(cached.err()).contains("frozen-layer cache train");
        assertThat(full.err()).doesNotContain("frozen-layer cache");
        assertClose(weights(dir.resolve("cached")), weights(dir.resolve("full")), 1e-5f);
    }

    @Test
    void aLossThatBlowsUpStopsTheRunAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("pkg");
        Run run = train(args(out, "--max-steps", "30", "--lr", "1e30", "--max-grad-norm", "1e30",
                "--checkpoint-every", "1", "--keep-checkpoints", "1"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("loss is not finite at step").contains("last checkpoint is the last good");
        assertThat(out.resolve(ModelPackage.MANIFEST)).doesNotExist();
        Checkpoint kept = Checkpoint.latest(out.resolve("checkpoints")).orElseThrow();
        assertThat(kept.step()).isPositive();
        for (Tensor t : kept.trainable().values()) {
            for (float v : t.data()) {
                assertThat(v).as(t.name()).isFinite();
            }
        }
    }

    @Test
    void badInputGivesAClearError(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.tsv"), "");
        Run noData = train("--model", model.toString(), "--train", "sts=stsb:" + empty, "--out", dir.resolve("x").toString());
        assertThat(noData.exit()).isEqualTo(1);
        assertThat(noData.err()).contains("empty.tsv");

        Run beyond = train(args(dir.resolve("y"), "--full-tune-layers", "9"));
        assertThat(beyond.exit()).isEqualTo(1);
        assertThat(beyond.err()).contains("more than the model's 4 layers");
    }

    static Map<String, Tensor> weights(Path pkg) {
        return Checkpoint.latest(pkg.resolve("checkpoints")).orElseThrow().trainable();
    }

    static void assertClose(Map<String, Tensor> a, Map<String, Tensor> b, float tolerance) {
        assertThat(a.keySet()).isEqualTo(b.keySet());
        a.forEach((name, t) -> assertThat(t.data()).as(name)
                .containsExactly(b.get(name).data(), org.assertj.core.data.Offset.offset(tolerance)));
    }
}
