package ai.bellm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairCosinesTest {

    private final Random random = new Random(7);
    private final double[] gold = random.doubles(10).toArray();
    private final double[][] cosines = {random.doubles(10).toArray(), random.doubles(10).toArray(), gold.clone()};

    @Test
    void theJoinedPartsScoreAsTheWholeTask() {
        PairCosines whole = new PairCosines("dev", 0, 10, 4, gold, cosines);

        List<PairCosines> joined = PairCosines.join(List.of(part("dev", 6, 10), part("dev", 0, 3), part("dev", 3, 6)));

        assertThat(joined).singleElement().satisfies(task -> {
            assertThat(task.gold()).containsExactly(gold);
            assertThat(task.cosines()).isDeepEqualTo(cosines);
            assertThat(task.firstLayers()).isEqualTo(4);
        });
        for (int n = 4; n <= 6; n++) {
            assertThat(joined.get(0).correlations(n)).isEqualTo(whole.correlations(n));
        }
        assertThat(joined.get(0).correlations(6).spearman()).isEqualTo(1.0);
    }

    @Test
    void theCurveAveragesTheTasksSpearmanPerN() {
        List<PairCosines> tasks = PairCosines.join(List.of(part("a", 0, 5), part("b", 0, 10), part("a", 5, 10)));

        List<CurvePoint> curve = PairCosines.curve(tasks);

        assertThat(tasks).extracting(PairCosines::task).containsExactly("a", "b");
        assertThat(curve).extracting(CurvePoint::layers).containsExactly(4, 5, 6);
        assertThat(curve.get(0).score()).isCloseTo(Correlations.of(gold, cosines[0]).spearman() * 100, within(1e-12));
        assertThat(curve.get(2).score()).isEqualTo(100.0);
    }

    @Test
    void missingOverlappingOrForeignPartsAreRefusedWithTheTaskNamed() {
        assertThatThrownBy(() -> PairCosines.join(List.of(part("dev", 0, 3), part("dev", 6, 10))))
                .hasMessage("task 'dev': pairs 3..5 missing (a shard not given?)");
        assertThatThrownBy(() -> PairCosines.join(List.of(part("dev", 0, 3), part("dev", 3, 6))))
                .hasMessage("task 'dev': pairs 6..9 missing (a shard not given?)");
        assertThatThrownBy(() -> PairCosines.join(List.of(part("dev", 0, 6), part("dev", 3, 10))))
                .hasMessage("task 'dev': shards overlap at pair 3 (a shard given twice?)");
        PairCosines fewerLayers = new PairCosines("dev", 3, 10, 4, slice(gold, 3, 10),
                new double[][] {slice(cosines[0], 3, 10)});
        assertThatThrownBy(() -> PairCosines.join(List.of(part("dev", 0, 3), fewerLayers)))
                .hasMessage("task 'dev': shards of different sweeps (pairs 0.. of 10, n=4..6 and pairs 3.. of 10,"
                        + " n=4..4)");
        assertThatThrownBy(() -> new PairCosines("dev", 8, 10, 1, new double[3], new double[][] {new double[3]}))
                .hasMessage("task 'dev': pairs 8..10 outside its 10 pairs");
        assertThatThrownBy(() -> new PairCosines("dev", 0, 10, 1, new double[3], new double[][] {new double[2]}))
                .hasMessage("task 'dev': 2 cosines for 3 pairs");
    }

    private PairCosines part(String task, int from, int to) {
        double[][] mine = Arrays.stream(cosines).map(c -> slice(c, from, to)).toArray(double[][]::new);
        return new PairCosines(task, from, 10, 4, slice(gold, from, to), mine);
    }

    private static double[] slice(double[] values, int from, int to) {
        return Arrays.copyOfRange(values, from, to);
    }
}
