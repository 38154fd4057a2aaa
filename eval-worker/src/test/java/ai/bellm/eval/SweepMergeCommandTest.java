package ai.bellm.eval;

import static ai.bellm.eval.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.eval.CliFixtures.Run;
import ai.bellm.layers.LayerRange;
import ai.bellm.layers.Shard;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Merging and turning points on hand-made curves (no model): the rule's cases and the merge's checks. */
class SweepMergeCommandTest {

    /** A plateau at 70, a drop after n=5, a collapse (undefined score) at n=8. */
    private static final Double[] CURVE = {60.0, 68.0, 70.0, 69.0, 68.5, 40.0, 20.0, null};
    private static final Settings SETTINGS = new Settings(null, "last", "{text}", 512);
    private static final LayerRange RANGE = new LayerRange(1, 8);

    @TempDir
    Path dir;

    private Path shard(int index, int count, String model, double maxDrop) throws IOException {
        Shard shard = new Shard(index, count);
        LayerRange part = shard.part(RANGE);
        List<LayerScore> layers = new ArrayList<>();
        for (int n = part.first(); n <= part.last(); n++) {
            Double s = CURVE[n - 1];
            layers.add(LayerScore.average(n, Map.of("dev", new TaskResult(s, s, 10, 20, 0, null))));
        }
        Path file = dir.resolve(model + "-" + index + "of" + count + "-" + maxDrop + ".json");
        ResultJson.write(file, SweepResult.of(model, "dev", SETTINGS, RANGE, shard, layers, maxDrop));
        return file;
    }

    @Test
    void shardsHaveProvisionalTurningPoints_theMergeHasTheRealOne() throws IOException {
        Path s1 = shard(1, 3, "m", 3.0);
        Path s2 = shard(2, 3, "m", 3.0);
        Path s3 = shard(3, 3, "m", 3.0);
        Path out = dir.resolve("merged.json");

        Run r = run("sweep-merge", "--out", out.toString(), s3.toString(), s1.toString(), s2.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode first = CliFixtures.json(s1);
        assertThat(first.get("turning_point").asInt()).isEqualTo(3);
        assertThat(first.get("drop_observed").asBoolean()).isFalse();
        assertThat(first.get("turning_point_provisional").asBoolean()).isTrue();
        JsonNode merged = CliFixtures.json(out);
        assertThat(merged.get("layers").findValuesAsText("n")).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
        assertThat(merged.get("layers").get(7).get("spearman").isNull()).isTrue();
        assertThat(merged.get("turning_point").asInt()).isEqualTo(5);
        assertThat(merged.get("peak").get("n").asInt()).isEqualTo(3);
        assertThat(merged.get("peak").get("spearman").asDouble()).isEqualTo(70.0);
        assertThat(merged.get("drop_observed").asBoolean()).isTrue();
        assertThat(merged.get("turning_point_provisional").asBoolean()).isFalse();
        assertThat(merged.has("shard")).isFalse();
        assertThat(r.err()).contains("turning point: n=5").contains("   8       n/a");
    }

    @Test
    void maxDropCanBeChangedAtMergeTime() throws IOException {
        Path out = dir.resolve("merged.json");

        Run r = run("sweep-merge", "--max-drop", "0.5", "--out", out.toString(),
                shard(1, 2, "m", 3.0).toString(), shard(2, 2, "m", 3.0).toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(CliFixtures.json(out).get("turning_point").asInt()).isEqualTo(3);
        assertThat(CliFixtures.json(out).get("max_drop").asDouble()).isEqualTo(0.5);
    }

    @Test
    void rejectsIncompleteOverlappingOrForeignShards() throws IOException {
        String out = dir.resolve("merged.json").toString();
        Path s1 = shard(1, 2, "m", 3.0);
        Path s2 = shard(2, 2, "m", 3.0);

        assertThat(mergeError(out, s1)).isEqualTo("bellm sweep-merge: the shards do not cover --layers 1-8:"
                + " missing n=[5, 6, 7, 8] (a shard not given?)");
        assertThat(mergeError(out, s1, s2, shard(2, 3, "m", 3.0))).startsWith("bellm sweep-merge: shards overlap:");
        assertThat(mergeError(out, s1, shard(2, 2, "other", 3.0))).isEqualTo("bellm sweep-merge: not shards of one"
                + " sweep: model m in " + s1 + " but other in " + dir.resolve("other-2of2-3.0.json"));
        assertThat(mergeError(out, s1, shard(2, 2, "m", 5.0))).isEqualTo("bellm sweep-merge: the shards used"
                + " different --max-drop values [3.0, 5.0]: choose one with --max-drop");
        assertThat(mergeError(out, s1, dir.resolve("gone.json")))
                .isEqualTo("bellm sweep-merge: result file not found: " + dir.resolve("gone.json"));
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
