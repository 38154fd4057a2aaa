package ai.bellm.eval;

import static ai.bellm.eval.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.bellm.data.Shard;
import ai.bellm.eval.CliFixtures.Run;
import ai.bellm.layers.LayerRange;
import ai.bellm.metrics.PairCosines;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Merging and turning points on hand-made pair cosines (no model): the rule's cases and the merge's checks. */
class SweepMergeCommandTest {

    private static final double[] GOLD = {0, 1, 2, 3, 4, 5};
    private static final double[] SHARDS_IN_ORDER_BUT_REVERSED = {10, 11, 0, 1, -10, -9};
    /**
     * The cosines of the six pairs at n = 1..8: ranked as the gold scores up to n = 5; at n = 6 and 7 the pairs of
     * each third in order but the thirds the other way round; constant (an undefined score) at n = 8.
     */
    private static final double[][] COSINES = {GOLD, GOLD, GOLD, GOLD, GOLD, SHARDS_IN_ORDER_BUT_REVERSED,
            SHARDS_IN_ORDER_BUT_REVERSED, new double[6]};
    private static final Settings SETTINGS = new Settings(null, "last", "{text}", 512, "f32");
    private static final LayerRange RANGE = new LayerRange(1, 8);

    @TempDir
    Path dir;

    /** What 'bellm sweep --shard index/count' writes for these pairs. */
    private Path shard(int index, int count, String model, double maxDrop) throws IOException {
        Shard shard = new Shard(index, count);
        Shard.Slice slice = shard.slice(GOLD.length, "pairs");
        double[][] mine = Arrays.stream(COSINES).map(c -> Arrays.copyOfRange(c, slice.from(), slice.to()))
                .toArray(double[][]::new);
        PairCosines pairs = new PairCosines("dev", slice.from(), GOLD.length, 1,
                Arrays.copyOfRange(GOLD, slice.from(), slice.to()), mine);
        List<LayerScore> layers = new ArrayList<>();
        for (int n = RANGE.first(); n <= RANGE.last(); n++) {
            Score score = Score.of(pairs.correlations(n));
            layers.add(LayerScore.average(n, Map.of("dev", new TaskResult(score.spearman(), score.pearson(),
                    mine[0].length, 2 * mine[0].length, 0, null))));
        }
        Path file = dir.resolve(model + "-" + index + "of" + count + "-" + maxDrop + ".json");
        ResultJson.write(file, SweepResult.of(model, "dev", SETTINGS, RANGE, shard, layers, List.of(pairs), maxDrop));
        return file;
    }

    @Test
    void theMergeScoresAllPairsTogether_whereTheShardsSawNoDrop() throws IOException {
        Path s1 = shard(1, 3, "m", 3.0);
        Path s2 = shard(2, 3, "m", 3.0);
        Path s3 = shard(3, 3, "m", 3.0);
        Path out = dir.resolve("merged.json");

        Run r = run("sweep-merge", "--out", out.toString(), s3.toString(), s1.toString(), s2.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode first = CliFixtures.json(s1);
        assertThat(first.get("turning_point").asInt()).as("its own two pairs stay in order").isEqualTo(7);
        assertThat(first.get("turning_point_provisional").asBoolean()).isTrue();
        JsonNode merged = CliFixtures.json(out);
        assertThat(merged.get("layers").findValuesAsText("n")).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
        assertThat(merged.get("layers").get(0).get("spearman").asDouble()).isEqualTo(100.0);
        // ranks of the cosines at n = 6 for the gold order: 4 5 2 3 0 1, so 1 - 6 * 64 / (6 * 35) = -29 / 35
        assertThat(merged.get("layers").get(5).get("spearman").asDouble()).isCloseTo(-2900.0 / 35, within(1e-9));
        assertThat(merged.get("layers").get(5).get("tasks").get("dev").get("pairs").asInt()).isEqualTo(6);
        assertThat(merged.get("layers").get(7).get("spearman").isNull()).isTrue();
        assertThat(merged.get("turning_point").asInt()).isEqualTo(5);
        assertThat(merged.get("peak").get("n").asInt()).isEqualTo(1);
        assertThat(merged.get("drop_observed").asBoolean()).isTrue();
        assertThat(merged.get("turning_point_provisional").asBoolean()).isFalse();
        assertThat(merged.has("shard")).isFalse();
        assertThat(merged.has("pairs")).isFalse();
        assertThat(r.err()).contains("turning point: n=5").contains("   8       n/a");
    }

    @Test
    void maxDropCanBeChangedAtMergeTime() throws IOException {
        Path out = dir.resolve("merged.json");

        Run r = run("sweep-merge", "--max-drop", "200", "--out", out.toString(),
                shard(1, 2, "m", 3.0).toString(), shard(2, 2, "m", 3.0).toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(CliFixtures.json(out).get("turning_point").asInt()).isEqualTo(7);
        assertThat(CliFixtures.json(out).get("max_drop").asDouble()).isEqualTo(200.0);
    }

    @Test
    void rejectsIncompleteOverlappingOrForeignShards() throws IOException {
        String out = dir.resolve("merged.json").toString();
        Path s1 = shard(1, 2, "m", 3.0);
        Path s2 = shard(2, 2, "m", 3.0);

        assertThat(mergeError(out, s1)).isEqualTo("bellm sweep-merge: task 'dev': pairs 3..5 missing (a shard not"
                + " given?)");
        assertThat(mergeError(out, s1, s2, shard(2, 3, "m", 3.0))).isEqualTo("bellm sweep-merge: task 'dev': shards"
                + " overlap at pair 2 (a shard given twice?)");
        assertThat(mergeError(out, s1, shard(2, 2, "other", 3.0))).isEqualTo("bellm sweep-merge: not shards of one"
                + " sweep: model m in " + s1 + " but other in " + dir.resolve("other-2of2-3.0.json"));
        assertThat(mergeError(out, s1, shard(2, 2, "m", 5.0))).isEqualTo("bellm sweep-merge: the shards used"
                + " different --max-drop values [3.0, 5.0]: choose one with --max-drop");
        assertThat(mergeError(out, s1, dir.resolve("gone.json")))
                .isEqualTo("bellm sweep-merge: result file not found: " + dir.resolve("gone.json"));
        Path whole = dir.resolve("whole.json");
        ResultJson.write(whole, SweepResult.of("m", "dev", SETTINGS, RANGE, null,
                List.of(LayerScore.average(1, Map.of("dev", new TaskResult(50.0, 50.0, 6, 12, 0, null)))), null, 3.0));
        assertThat(mergeError(out, s1, whole)).isEqualTo("bellm sweep-merge: " + whole + ": no pair cosines in this"
                + " sweep result (not written by 'bellm sweep --shard i/n')");
        assertThat(Path.of(out)).doesNotExist();
    }

    private static String mergeError(String out, Path... files) {
        List<String> args = new ArrayList<>(List.of("sweep-merge", "--out", out));
        for (Path f : files) {
            args.add(f.toString());
        }
        Run r = run(args.toArray(String[]::new));
        assertThat(r.exit()).isNotZero();
        return r.err().strip();
    }
}
