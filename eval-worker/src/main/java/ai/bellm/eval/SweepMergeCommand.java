package ai.bellm.eval;

import ai.bellm.cli.TrackedCommand;
import ai.bellm.metrics.PairCosines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bellm sweep-merge}: scores the pairs of all shards of one sweep together and finds the turning point. */
@Command(name = "sweep-merge", mixinStandardHelpOptions = true,
        description = "Join the results of 'bellm sweep --shard i/n' (any order): for every n, the Spearman of each"
                + " task over the pairs of all shards, then the turning point of that curve. The shards must come"
                + " from the same model, tasks, settings and --layers, must not overlap, and together must cover"
                + " every pair.")
final class SweepMergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Where to write the result.")
    Path out;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw the curve as a PNG.")
    Path plot;

    @Option(names = "--max-drop", paramLabel = "X",
            description = "Turning-point threshold in Spearman x100 points (default: the shards' own, which must"
                    + " then agree).")
    Double maxDrop;

    @Parameters(arity = "1..*", paramLabel = "SHARD.json", description = "Result files of 'bellm sweep'.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        return TrackedCommand.run(run -> {
            SweepResult merged = merge();
            run.ifPresent(r -> ResultLogging.sweep(r, merged, out, plot));
            return 0;
        });
    }

    private SweepResult merge() throws IOException {
        List<SweepResult> shards = new ArrayList<>();
        List<PairCosines> parts = new ArrayList<>();
        for (Path file : files) {
            SweepResult shard = ResultJson.read(file, SweepResult.class);
            if (shard.pairs() == null || shard.pairs().isEmpty()) {
                throw new IllegalArgumentException(file + ": no pair cosines in this sweep result (not written by"
                        + " 'bellm sweep --shard i/n')");
            }
            if (!shards.isEmpty()) {
                requireSameSweep(shards.get(0), files.get(0), shard, file);
            }
            shards.add(shard);
            parts.addAll(shard.pairs());
        }
        List<PairCosines> tasks = PairCosines.join(parts); // rejects overlapping or missing shards
        SweepResult first = shards.get(0);
        List<LayerScore> layers = new ArrayList<>();
        for (int n = first.range().get(0); n <= first.range().get(1); n++) {
            Map<String, TaskResult> scores = new LinkedHashMap<>();
            for (PairCosines task : tasks) {
                Score score = Score.of(task.correlations(n));
                scores.put(task.task(), new TaskResult(score.spearman(), score.pearson(), task.taskPairs(), null,
                        null, null));
            }
            layers.add(LayerScore.average(n, scores));
        }
        SweepResult merged = SweepResult.of(first.model(), first.task(), first.settings(), first.layerRange(), null,
                layers, null, maxDrop != null ? maxDrop : commonMaxDrop(shards));
        ResultJson.write(out, merged);
        if (plot != null) {
            SweepPlot.write(merged, plot);
        }
        SweepCommand.printSummary(merged, spec.commandLine().getErr());
        return merged;
    }

    private static void requireSameSweep(SweepResult a, Path fileA, SweepResult b, Path fileB) {
        require(Objects.equals(a.model(), b.model()), "model", a.model(), b.model(), fileA, fileB);
        require(Objects.equals(a.task(), b.task()), "task", a.task(), b.task(), fileA, fileB);
        require(Objects.equals(a.settings(), b.settings()), "settings", a.settings(), b.settings(), fileA, fileB);
        require(Objects.equals(a.range(), b.range()), "range", a.range(), b.range(), fileA, fileB);
    }

    private static void require(boolean same, String what, Object a, Object b, Path fileA, Path fileB) {
        if (!same) {
            throw new IllegalArgumentException("not shards of one sweep: " + what + " " + a + " in " + fileA
                    + " but " + b + " in " + fileB);
        }
    }

    private static double commonMaxDrop(List<SweepResult> shards) {
        List<Double> values = shards.stream().map(SweepResult::maxDrop).distinct().toList();
        if (values.size() > 1) {
            throw new IllegalArgumentException("the shards used different --max-drop values " + values
                    + ": choose one with --max-drop");
        }
        return values.get(0);
    }
}
