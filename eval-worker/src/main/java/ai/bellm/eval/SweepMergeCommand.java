package ai.bellm.eval;

import ai.bellm.cli.TrackedCommand;
import ai.bellm.layers.LayerRange;
import ai.bellm.layers.Shard;
import ai.bellm.metrics.CurveShard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bellm sweep-merge}: joins the shards of one sweep and computes the turning point of the whole curve. */
@Command(name = "sweep-merge", mixinStandardHelpOptions = true,
        description = "Join the results of 'bellm sweep --shard i/n' (any order) into the whole curve and compute"
                + " its turning point. The shards must come from the same model, tasks, settings and --layers,"
                + " must not overlap, and together must cover every n of --layers.")
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
        List<CurveShard> curves = new ArrayList<>();
        for (Path file : files) {
            SweepResult shard = ResultJson.read(file, SweepResult.class);
            if (shard.layers() == null || shard.layers().isEmpty()) {
                throw new IllegalArgumentException(file + ": no layers in this sweep result");
            }
            if (!shards.isEmpty()) {
                requireSameSweep(shards.get(0), files.get(0), shard, file);
            }
            shards.add(shard);
            curves.add(new CurveShard(file.toString(), SweepResult.curve(shard.layers())));
        }
        CurveShard.merge(curves); // rejects overlapping shards, naming their files
        SweepResult first = shards.get(0);
        List<LayerScore> layers = shards.stream().flatMap(s -> s.layers().stream())
                .sorted(Comparator.comparingInt(LayerScore::n)).toList();
        requireComplete(layers, first.layerRange());
        SweepResult merged = SweepResult.of(first.model(), first.task(), first.settings(), first.layerRange(),
                Shard.WHOLE, layers, maxDrop != null ? maxDrop : commonMaxDrop(shards));
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

    /** A merged turning point is final only if no layer count is missing. */
    private static void requireComplete(List<LayerScore> layers, LayerRange range) {
        List<Integer> missing = new ArrayList<>();
        int next = 0;
        for (int n = range.first(); n <= range.last(); n++) {
            if (next < layers.size() && layers.get(next).n() == n) {
                next++;
            } else {
                missing.add(n);
            }
        }
        if (!missing.isEmpty() || next != layers.size()) {
            throw new IllegalArgumentException("the shards do not cover --layers " + range
                    + (missing.isEmpty() ? ": they hold layer counts outside it" : ": missing n=" + missing
                    + " (a shard not given?)"));
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
