package ai.bellm.experiment.workflow;

import ai.bellm.data.Shard;
import ai.bellm.metrics.PairCosines;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** What the sweep shards of the workflow's tests log: one task's pairs, split as {@code bellm sweep --shard} does. */
final class ShardedSweep {
    /** Five pairs: their Spearman x100 is a multiple of 10, and every multiple of 10 has a ranking. */
    private static final int PAIRS = 5;

    private ShardedSweep() {
    }

    /** Shard {@code shard} of {@code shards} (at most five) of a sweep whose curve at n = 1, 2, ... is {@code curve}. */
    static List<PairCosines> withCurve(int shard, int shards, double... curve) {
        double[][] cosines = new double[curve.length][];
        for (int k = 0; k < curve.length; k++) {
            cosines[k] = ranking(curve[k]);
        }
        return part(shard, shards, gold(PAIRS), cosines);
    }

    /** Shard {@code shard} of {@code shards} of a sweep over {@code layers} layer counts with random cosines. */
    static List<PairCosines> random(int shard, int shards, int layers, Random random) {
        int pairs = 2 * shards;
        double[][] cosines = new double[layers][];
        for (int k = 0; k < layers; k++) {
            cosines[k] = random.doubles(pairs).toArray();
        }
        return part(shard, shards, gold(pairs), cosines);
    }

    private static List<PairCosines> part(int shard, int shards, double[] gold, double[][] cosines) {
        Shard.Slice slice = new Shard(shard, shards).slice(gold.length, "pairs");
        double[][] mine = Arrays.stream(cosines).map(c -> Arrays.copyOfRange(c, slice.from(), slice.to()))
                .toArray(double[][]::new);
        return List.of(new PairCosines("dev", slice.from(), gold.length, 1,
                Arrays.copyOfRange(gold, slice.from(), slice.to()), mine));
    }

    private static double[] gold(int pairs) {
        double[] gold = new double[pairs];
        Arrays.setAll(gold, i -> i);
        return gold;
    }

    /** The first permutation of 0..4 whose Spearman with 0..4 is {@code spearman} / 100 (1 - sum d^2 / 20). */
    private static double[] ranking(double spearman) {
        for (List<Integer> p : permutations(new ArrayList<>(List.of(0, 1, 2, 3, 4)))) {
            int squares = 0;
            for (int i = 0; i < PAIRS; i++) {
                squares += (p.get(i) - i) * (p.get(i) - i);
            }
            if (Math.abs(100 - 5.0 * squares - spearman) < 1e-9) {
                return p.stream().mapToDouble(Integer::doubleValue).toArray();
            }
        }
        throw new IllegalArgumentException("no ranking of five pairs has Spearman " + spearman);
    }

    private static List<List<Integer>> permutations(List<Integer> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<Integer>> all = new ArrayList<>();
        for (Integer first : items) {
            List<Integer> rest = new ArrayList<>(items);
            rest.remove(first);
            for (List<Integer> tail : permutations(rest)) {
                List<Integer> p = new ArrayList<>(List.of(first));
                p.addAll(tail);
                all.add(p);
            }
        }
        return all;
    }
}
