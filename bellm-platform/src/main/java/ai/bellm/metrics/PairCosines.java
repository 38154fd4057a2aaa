package ai.bellm.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One data shard's part of a sweep task: the gold scores of its pairs and their cosine similarities with the model
 * truncated to n causal layers, for every n of the sweep. A Spearman correlation needs the ranks of all pairs at
 * once, so the shards of a sweep keep these rather than scores, and {@link #join} puts each task together again.
 *
 * @param firstPair  index of this part's first pair in the task's pairs (0-based)
 * @param taskPairs  number of pairs of the whole task
 * @param firstLayers the n of {@code cosines[0]}; {@code cosines[k]} is n = firstLayers + k
 * @param cosines    {@code cosines[k][i]}: pair firstPair + i at n = firstLayers + k
 */
public record PairCosines(String task, int firstPair, int taskPairs, int firstLayers, double[] gold,
        double[][] cosines) {

    public PairCosines {
        if (cosines.length == 0) {
            throw new IllegalArgumentException("task '" + task + "': no layer counts");
        }
        for (double[] layer : cosines) {
            if (layer.length != gold.length) {
                throw new IllegalArgumentException("task '" + task + "': " + layer.length + " cosines for "
                        + gold.length + " pairs");
            }
        }
        if (firstPair < 0 || firstPair + gold.length > taskPairs) {
            throw new IllegalArgumentException("task '" + task + "': pairs " + firstPair + ".."
                    + (firstPair + gold.length - 1) + " outside its " + taskPairs + " pairs");
        }
    }

    public int lastLayers() {
        return firstLayers + cosines.length - 1;
    }

    /** Pearson and Spearman over this part's pairs with {@code n} causal layers. */
    public Correlations correlations(int n) {
        return Correlations.of(gold, cosines[n - firstLayers]);
    }

    /**
     * Joins the parts of every data shard, in any order, into one part per task (in the order tasks first appear)
     * covering all its pairs. Fails, naming the task, if the parts disagree on the layer counts or the task's size,
     * overlap (a shard given twice) or leave pairs out (a shard missing).
     */
    public static List<PairCosines> join(List<PairCosines> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no pair cosines to join");
        }
        Map<String, List<PairCosines>> byTask = new LinkedHashMap<>();
        parts.forEach(p -> byTask.computeIfAbsent(p.task(), t -> new ArrayList<>()).add(p));
        return byTask.values().stream().map(PairCosines::joinTask).toList();
    }

    private static PairCosines joinTask(List<PairCosines> parts) {
        List<PairCosines> sorted = parts.stream().sorted(Comparator.comparingInt(PairCosines::firstPair)).toList();
        PairCosines first = sorted.get(0);
        int next = 0;
        for (PairCosines part : sorted) {
            if (part.taskPairs() != first.taskPairs() || part.firstLayers() != first.firstLayers()
                    || part.lastLayers() != first.lastLayers()) {
                throw new IllegalArgumentException("task '" + first.task() + "': shards of different sweeps ("
                        + first.describe() + " and " + part.describe() + ")");
            }
            if (part.firstPair() != next) {
                throw new IllegalArgumentException("task '" + first.task() + "': " + (part.firstPair() < next
                        ? "shards overlap at pair " + part.firstPair() + " (a shard given twice?)"
                        : "pairs " + next + ".." + (part.firstPair() - 1) + " missing (a shard not given?)"));
            }
            next += part.gold().length;
        }
        if (next != first.taskPairs()) {
            throw new IllegalArgumentException("task '" + first.task() + "': pairs " + next + ".."
                    + (first.taskPairs() - 1) + " missing (a shard not given?)");
        }
        double[][] cosines = new double[first.cosines().length][];
        for (int k = 0; k < cosines.length; k++) {
            int layer = k;
            cosines[k] = concat(sorted.stream().map(p -> p.cosines()[layer]).toList());
        }
        return new PairCosines(first.task(), 0, first.taskPairs(), first.firstLayers(),
                concat(sorted.stream().map(PairCosines::gold).toList()), cosines);
    }

    /**
     * The degradation curve of joined tasks: for each n, the mean over the tasks of their Spearman ×100 (NaN if any
     * is undefined), as {@code bellm sweep} scores a curve over several tasks.
     */
    public static List<CurvePoint> curve(List<PairCosines> tasks) {
        PairCosines first = tasks.get(0);
        List<CurvePoint> curve = new ArrayList<>();
        for (int n = first.firstLayers(); n <= first.lastLayers(); n++) {
            double sum = 0;
            for (PairCosines task : tasks) {
                sum += task.correlations(n).spearman() * 100;
            }
            curve.add(new CurvePoint(n, sum / tasks.size()));
        }
        return curve;
    }

    private String describe() {
        return "pairs " + firstPair + ".. of " + taskPairs + ", n=" + firstLayers + ".." + lastLayers();
    }

    private static double[] concat(List<double[]> arrays) {
        double[] all = new double[arrays.stream().mapToInt(a -> a.length).sum()];
        int at = 0;
        for (double[] a : arrays) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        return all;
    }
}
