package ai.bellm.eval;

import static ai.bellm.eval.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.bellm.data.ScoredPair;
import ai.bellm.eval.CliFixtures.Run;
import ai.bellm.metrics.Correlations;
import ai.bellm.metrics.SentEvalScores;
import ai.bellm.recipe.EmbeddingRecipe;
import ai.bellm.recipe.Pooling;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {

    @TempDir
    static Path shared;

    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeModel() throws IOException {
        model = CliFixtures.tinyModel(shared.resolve("tiny"));
    }

    @Test
    void scoresEachTaskLikeADirectComputationAndEmbedsEachDistinctSentenceOnce() throws IOException {
        List<ScoredPair> dev = CliFixtures.pairs(40, 1);
        List<ScoredPair> test = CliFixtures.pairs(24, 2);
        Path out = dir.resolve("results/eval.json");

        Run r = run("evaluate", "--model", model.toString(),
                "--task", "dev=stsb:" + CliFixtures.writeStsb(dir.resolve("dev.tsv"), dev),
                "--task", "test=stsb:" + CliFixtures.writeStsb(dir.resolve("test.tsv"), test),
                "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = CliFixtures.json(out);
        assertThat(json.get("model").asText()).isEqualTo("tiny");
        assertThat(json.get("settings").get("pooling").asText()).isEqualTo("last");
        assertThat(json.get("settings").has("bidirectional_from")).isFalse();
        assertThat(json.get("tasks").size()).isEqualTo(2);
        double sum = 0;
        for (var task : Map.of("dev", dev, "test", test).entrySet()) {
            JsonNode t = json.get("tasks").get(task.getKey());
            List<ScoredPair> pairs = task.getValue();
            assertThat(t.get("pairs").asInt()).isEqualTo(pairs.size());
            long unique = CliFixtures.uniqueSentences(pairs);
            assertThat(unique).isLessThan(2L * pairs.size());
            assertThat(t.get("sentences").asLong()).isEqualTo(unique);
            Correlations direct = Correlations.of(CliFixtures.gold(pairs), CliFixtures.directCosines(model, pairs));
            assertThat(t.get("spearman").asDouble()).isBetween(-100.0, 100.0)
                    .isCloseTo(direct.spearman() * 100, within(1e-6));
            assertThat(t.get("pearson").asDouble()).isCloseTo(direct.pearson() * 100, within(1e-6));
            assertThat(r.err()).containsPattern(task.getKey() + " +" + pairs.size() + " +" + unique + " ");
            sum += t.get("spearman").asDouble();
        }
        assertThat(json.get("average").asDouble()).isCloseTo(sum / 2, within(1e-9));
        assertThat(r.err()).contains("average");
    }

    @Test
    void aPackageEmbedsWithItsOwnRecipeUnlessAnOptionSaysOtherwiseAndTheResultRecordsWhatRan() throws IOException {
        EmbeddingRecipe stored = EmbeddingRecipe.DEFAULT.withPooling(Pooling.MEAN)
                .withBidirectionalFrom(OptionalInt.of(2)).withMaxTokens(100);
        Path pkg = CliFixtures.modelPackage(model, dir.resolve("pkg"), stored);
        String task = "dev=stsb:" + CliFixtures.writeStsb(dir.resolve("dev.tsv"), CliFixtures.pairs(16, 7));

        Run asStored = run("evaluate", "--model", pkg.toString(), "--task", task, "--out", dir + "/stored.json");
        Run lastToken = run("evaluate", "--model", pkg.toString(), "--task", task, "--pooling", "last",
                "--out", dir + "/last.json");

        assertThat(asStored.exit()).as(asStored.err()).isZero();
        assertThat(lastToken.exit()).as(lastToken.err()).isZero();
        JsonNode settings = CliFixtures.json(dir.resolve("stored.json")).get("settings");
        assertThat(settings.get("bidirectional_from").asInt()).isEqualTo(2);
        assertThat(settings.get("pooling").asText()).isEqualTo("mean");
        assertThat(settings.get("max_tokens").asInt()).isEqualTo(100);
        JsonNode changed = CliFixtures.json(dir.resolve("last.json")).get("settings");
        assertThat(changed.get("pooling").asText()).isEqualTo("last");
        assertThat(changed.get("bidirectional_from").asInt()).as("kept from the package").isEqualTo(2);
        assertThat(changed.get("max_tokens").asInt()).isEqualTo(100);
    }

    @Test
    void senteval_reportsAllWithMeansAndSubsetsBeside() throws IOException {
        Map<String, List<ScoredPair>> subsets = new LinkedHashMap<>();
        subsets.put("answers", CliFixtures.pairs(16, 3));
        subsets.put("headlines", CliFixtures.pairs(12, 4));
        Path year = CliFixtures.writeSentEval(dir.resolve("STS12"), subsets);
        Path out = dir.resolve("sts12.json");

        Run r = run("evaluate", "--model", model.toString(), "--task", "STS12=senteval:" + year,
                "--bidirectional-from", "2", "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = CliFixtures.json(out);
        assertThat(json.get("settings").get("bidirectional_from").asInt()).isEqualTo(2);
        JsonNode task = json.get("tasks").get("STS12");
        assertThat(task.get("pairs").asInt()).isEqualTo(28);
        JsonNode senteval = task.get("senteval");
        assertThat(senteval.get("subsets").get("answers").get("pairs").asInt()).isEqualTo(16);
        assertThat(senteval.get("subsets").get("headlines").get("pairs").asInt()).isEqualTo(12);
        double answers = senteval.get("subsets").get("answers").get("spearman").asDouble();
        double headlines = senteval.get("subsets").get("headlines").get("spearman").asDouble();
        assertThat(senteval.get("mean").get("spearman").asDouble())
                .isCloseTo((answers + headlines) / 2, within(1e-9));
        assertThat(senteval.get("wmean").get("spearman").asDouble())
                .isCloseTo((16 * answers + 12 * headlines) / 28, within(1e-9));
        assertThat(json.get("average").asDouble()).isEqualTo(task.get("spearman").asDouble());
    }

    @Test
    void senteval_allIsTheCorrelationOverTheConcatenatedSubsets() throws IOException {
        Map<String, List<ScoredPair>> subsets = new LinkedHashMap<>();
        subsets.put("a", CliFixtures.pairs(14, 5));
        subsets.put("b", CliFixtures.pairs(10, 6));
        Path out = dir.resolve("sts.json");

        Run r = run("evaluate", "--model", model.toString(),
                "--task", "STS13=senteval:" + CliFixtures.writeSentEval(dir.resolve("STS13"), subsets),
                "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        List<ScoredPair> all = new ArrayList<>(subsets.get("a"));
        all.addAll(subsets.get("b"));
        double[] cosines = CliFixtures.directCosines(model, all);
        SentEvalScores expected = SentEvalScores.compute(List.of(
                new SentEvalScores.Subset("a", CliFixtures.gold(subsets.get("a")), Arrays.copyOf(cosines, 14)),
                new SentEvalScores.Subset("b", CliFixtures.gold(subsets.get("b")),
                        Arrays.copyOfRange(cosines, 14, 24))));
        assertThat(CliFixtures.json(out).get("tasks").get("STS13").get("spearman").asDouble())
                .isCloseTo(expected.all().spearman() * 100, within(1e-6));
    }

    @Test
    void missingDataFile_failsWithOneClearLine() {
        Path missing = dir.resolve("nope.tsv");
        Path out = dir.resolve("out.json");

        Run r = run("evaluate", "--model", model.toString(), "--task", "dev=stsb:" + missing, "--out", out.toString());

        assertThat(r.exit()).isNotZero();
        assertThat(r.err().strip()).isEqualTo("bellm evaluate: " + missing + ": STS-B file not found");
        assertThat(out).doesNotExist();
    }

    @Test
    void emptyDataSet_failsWithAClearMessage() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.tsv"), "\n\n");

        Run r = run("evaluate", "--model", model.toString(), "--task", "dev=stsb:" + empty,
                "--out", dir.resolve("out.json").toString());

        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains(empty.toString()).contains("no scored pairs");
    }

    @Test
    void malformedLine_failsNamingTheLine_orIsSkippedOnRequest() throws IOException {
        Path data = CliFixtures.writeStsb(dir.resolve("dev.tsv"), CliFixtures.pairs(12, 8));
        Files.writeString(data, "only\ttwo columns\n", StandardOpenOption.APPEND);
        Path out = dir.resolve("out.json");

        Run strict = run("evaluate", "--model", model.toString(), "--task", "dev=stsb:" + data, "--out", out.toString());
        Run lenient = run("evaluate", "--model", model.toString(), "--task", "dev=stsb:" + data, "--skip-bad-lines",
                "--out", out.toString());

        assertThat(strict.exit()).isNotZero();
        assertThat(strict.err()).contains(data + ":13");
        assertThat(lenient.exit()).as(lenient.err()).isZero();
        JsonNode task = CliFixtures.json(out).get("tasks").get("dev");
        assertThat(task.get("pairs").asInt()).isEqualTo(12);
        assertThat(task.get("skipped_lines").asInt()).isEqualTo(1);
    }

    @Test
    void badTaskSpecAndMissingModel_failClearly() throws IOException {
        Path data = CliFixtures.writeStsb(dir.resolve("dev.tsv"), CliFixtures.pairs(8, 9));

        Run badSpec = run("evaluate", "--model", model.toString(), "--task", "dev=csv:" + data, "--out", "x.json");
        Run noModel = run("evaluate", "--model", dir.resolve("no-model").toString(), "--task", "dev=stsb:" + data,
                "--out", dir.resolve("x.json").toString());

        assertThat(badSpec.exit()).isNotZero();
        assertThat(badSpec.err()).contains("unknown data format 'csv'");
        assertThat(noModel.exit()).isNotZero();
        assertThat(noModel.err()).startsWith("bellm evaluate: ").contains("no-model");
    }
}
