package ai.bellm.eval;

import static ai.bellm.eval.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.bellm.data.ScoredPair;
import ai.bellm.eval.CliFixtures.Run;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {

    @TempDir
    static Path shared;

    static Path model;
    static String devTask;
    static String testTask;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeModelAndData() throws IOException {
        model = CliFixtures.tinyModel(shared.resolve("tiny"));
        List<ScoredPair> dev = CliFixtures.pairs(40, 11);
        List<ScoredPair> test = CliFixtures.pairs(30, 12);
        devTask = "dev=stsb:" + CliFixtures.writeStsb(shared.resolve("dev.tsv"), dev);
        testTask = "test=stsb:" + CliFixtures.writeStsb(shared.resolve("test.tsv"), test);
    }

    @Test
    void eachPointEqualsTheScoreOfTheModelTruncatedToThatManyLayers() throws IOException {
        Path out = dir.resolve("sweep.json");

        Run r = run("sweep", "--model", model.toString(), "--task", devTask, "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode sweep = CliFixtures.json(out);
        assertThat(sweep.get("range").toString()).isEqualTo("[1,4]");
        assertThat(sweep.get("layers")).hasSize(4);
        for (int n = 1; n <= 4; n++) {
            JsonNode point = sweep.get("layers").get(n - 1);
            assertThat(point.get("n").asInt()).isEqualTo(n);
            Path truncated = CliFixtures.truncatedTinyModel(dir.resolve("tiny-" + n), n);
            Path eval = dir.resolve("eval-" + n + ".json");
            Run e = run("evaluate", "--model", truncated.toString(), "--task", devTask, "--out", eval.toString());
            assertThat(e.exit()).as(e.err()).isZero();
            JsonNode expected = CliFixtures.json(eval).get("tasks").get("dev");
            assertThat(point.get("spearman").asDouble()).as("n=%d", n)
                    .isCloseTo(expected.get("spearman").asDouble(), within(1e-6));
            assertThat(point.get("pearson").asDouble()).as("n=%d", n)
                    .isCloseTo(expected.get("pearson").asDouble(), within(1e-6));
            assertThat(point.get("tasks").get("dev").get("spearman").asDouble())
                    .isEqualTo(point.get("spearman").asDouble());
        }
        assertThat(sweep.get("turning_point_provisional").asBoolean()).isFalse();
        assertThat(sweep.has("shard")).isFalse();
        assertThat(sweep.get("max_drop").asDouble()).isEqualTo(3.0);
        assertThat(r.err()).contains("turning point: n=" + sweep.get("turning_point").asInt());
    }

    @Test
    void severalTasks_curveIsTheAverageSpearmanPerN() throws IOException {
        Path out = dir.resolve("sweep.json");

        Run r = run("sweep", "--model", model.toString(), "--task", devTask, "--task", testTask, "--layers", "2-3",
                "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode sweep = CliFixtures.json(out);
        assertThat(sweep.get("task").asText()).isEqualTo("dev,test");
        assertThat(sweep.get("layers")).hasSize(2);
        for (JsonNode point : sweep.get("layers")) {
            double dev = point.get("tasks").get("dev").get("spearman").asDouble();
            double test = point.get("tasks").get("test").get("spearman").asDouble();
            assertThat(point.get("spearman").asDouble()).isCloseTo((dev + test) / 2, within(1e-9));
        }
    }

    @Test
    void mergeOfTwoShardsEqualsTheUnshardedSweep() throws IOException {
        Path whole = dir.resolve("whole.json");
        Path first = dir.resolve("shard-1.json");
        Path second = dir.resolve("shard-2.json");
        Path merged = dir.resolve("merged.json");
        Path png = dir.resolve("plots/merged.png");

        assertThat(run("sweep", "--model", model.toString(), "--task", devTask, "--layers", "1-4",
                "--out", whole.toString()).exit()).isZero();
        Run r1 = run("sweep", "--model", model.toString(), "--task", devTask, "--layers", "1-4", "--shard", "1/2",
                "--out", first.toString());
        Run r2 = run("sweep", "--model", model.toString(), "--task", devTask, "--layers", "1-4", "--shard", "2/2",
                "--out", second.toString());
        Run m = run("sweep-merge", "--out", merged.toString(), "--plot", png.toString(),
                second.toString(), first.toString());

        assertThat(r1.exit()).as(r1.err()).isZero();
        assertThat(r2.exit()).as(r2.err()).isZero();
        assertThat(m.exit()).as(m.err()).isZero();
        JsonNode shard1 = CliFixtures.json(first);
        assertThat(shard1.get("shard").asText()).isEqualTo("1/2");
        assertThat(shard1.get("turning_point_provisional").asBoolean()).isTrue();
        assertThat(shard1.get("range").toString()).isEqualTo("[1,4]");
        assertThat(shard1.get("layers").findValuesAsText("n")).as("every n, on its pairs")
                .containsExactly("1", "2", "3", "4");
        JsonNode pairs = shard1.get("pairs").get(0);
        assertThat(pairs.get("task").asText()).isEqualTo("dev");
        assertThat(pairs.get("first_pair").asInt()).isZero();
        assertThat(pairs.get("task_pairs").asInt()).isEqualTo(40);
        assertThat(pairs.get("gold")).hasSize(20);
        assertThat(pairs.get("cosines")).hasSize(4).allSatisfy(layer -> assertThat(layer).hasSize(20));
        assertThat(CliFixtures.json(second).get("pairs").get(0).get("first_pair").asInt()).isEqualTo(20);
        assertThat(CliFixtures.json(whole).has("pairs")).as("only shards keep their cosines").isFalse();

        JsonNode expected = CliFixtures.json(whole);
        JsonNode actual = CliFixtures.json(merged);
        assertThat(actual.get("layers")).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(actual.get("layers").get(i).get("n")).isEqualTo(expected.get("layers").get(i).get("n"));
            assertThat(actual.get("layers").get(i).get("spearman").asDouble())
                    .isCloseTo(expected.get("layers").get(i).get("spearman").asDouble(), within(1e-9));
        }
        for (String field : List.of("model", "task", "settings", "range", "turning_point", "peak", "drop_observed",
                "max_drop", "turning_point_provisional")) {
            assertThat(actual.get(field)).as(field).isEqualTo(expected.get(field));
        }
        assertThat(actual.has("shard")).isFalse();
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(SweepPlot.WIDTH);
    }

    @Test
    void writesThePlotOnRequest() throws IOException {
        Path png = dir.resolve("sweep.png");

        Run r = run("sweep", "--model", model.toString(), "--task", devTask, "--out", dir.resolve("s.json").toString(),
                "--plot", png.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        var image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(SweepPlot.WIDTH);
        assertThat(image.getHeight()).isEqualTo(SweepPlot.HEIGHT);
    }

    @Test
    void badLayersOrShard_failWithClearMessages() {
        assertThat(error("--layers", "3-1")).isEqualTo("bellm sweep: bad --layers '3-1': expected 1 <= A <= B");
        assertThat(error("--layers", "0-2")).isEqualTo("bellm sweep: bad --layers '0-2': expected 1 <= A <= B");
        assertThat(error("--layers", "one-two"))
                .isEqualTo("bellm sweep: bad --layers 'one-two': expected A-B (e.g. 1-30) or N");
        assertThat(error("--layers", "1-9"))
                .isEqualTo("bellm sweep: --layers 1-9 goes beyond the model's 4 layers (use 1-4 or less)");
        assertThat(error("--shard", "3/2")).isEqualTo("bellm sweep: bad --shard '3/2': expected i/n with 1 <= i <= n");
        assertThat(error("--shard", "1of2"))
                .isEqualTo("bellm sweep: bad --shard '1of2': expected i/n (1-based), e.g. 2/4");
        assertThat(error("--shard", "1/41"))
                .isEqualTo("bellm sweep: cannot split the pairs of task 'dev' (40) into 41 shards");
        assertThat(error("--max-drop", "-1")).isEqualTo("bellm sweep: maxDrop must be finite and >= 0, got -1.0");
        assertThat(dir.resolve("s.json")).doesNotExist();
    }

    private String error(String option, String value) {
        Run r = run("sweep", "--model", model.toString(), "--task", devTask, option, value,
                "--out", dir.resolve("s.json").toString());
        assertThat(r.exit()).isNotZero();
        return r.err().strip();
    }

    @Test
    void missingDataFile_failsBeforeLoadingTheModel() {
        Run r = run("sweep", "--model", dir.resolve("no-model").toString(), "--task",
                "dev=stsb:" + dir.resolve("missing.tsv"), "--out", dir.resolve("s.json").toString());

        assertThat(r.exit()).isNotZero();
        assertThat(r.err().strip()).isEqualTo("bellm sweep: " + dir.resolve("missing.tsv") + ": STS-B file not found");
    }
}
