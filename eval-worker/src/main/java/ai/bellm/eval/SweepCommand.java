package ai.bellm.eval;

import ai.bellm.cli.ProgressReporter;
import ai.bellm.cli.TrackedCommand;
import ai.bellm.embed.EmbeddingModel;
import ai.bellm.embed.EmbeddingOptions;
import ai.bellm.embed.SentenceEmbedder;
import ai.bellm.layers.LayerRange;
import ai.bellm.layers.Shard;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bellm sweep}: the degradation curve of a model over the number of causal layers, or one shard of it. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"For every n in --layers: STS Spearman x100 of the model truncated to its first n causal"
                + " layers, all n from one forward pass per batch. With several tasks the curve is the average"
                + " Spearman per n (each task's is kept). Writes the curve and its turning point (the last n within"
                + " --max-drop of the peak) to --out.",
                "--shard i/n scores the i-th of n contiguous parts of --layers (sizes differ by at most one, the"
                + " first parts get the extra layer counts); its turning point is provisional until"
                + " 'bellm sweep-merge' joins the parts."})
final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EmbeddingSettings settings;

    @Mixin
    TaskOptions tasks;

    @Option(names = "--layers", paramLabel = "A-B",
            description = "Layer counts to score, 1-based and inclusive (default: 1 to the model's layer count).")
    String layers;

    @Option(names = "--shard", paramLabel = "i/n", defaultValue = "1/1",
            description = "Score only part i of n of --layers (default: ${DEFAULT-VALUE}).")
    String shard;

    @Option(names = "--max-drop", paramLabel = "X",
            description = "Turning-point threshold in Spearman x100 points below the peak (default: 3.0).")
    double maxDrop = SweepResult.DEFAULT_MAX_DROP;

    @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Where to write the result.")
    Path out;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw the curve as a PNG.")
    Path plot;

    @Override
    public Integer call() throws Exception {
        return TrackedCommand.run(run -> {
            SweepResult result = sweep();
            run.ifPresent(r -> ResultLogging.sweep(r, result, out, plot));
            return 0;
        });
    }

    private SweepResult sweep() throws IOException {
        // Option syntax first, then data, then the (slow) model: a mistake fails in a second.
        LayerRange requested = layers == null ? null : LayerRange.parseCounts(layers, "--layers");
        Shard part = Shard.parse(shard);
        List<StsScorer> scorers = tasks.load();
        SweepResult result;
        try (EmbeddingModel loaded = EmbeddingModel.load(settings.modelPath())) {
            int numLayers = loaded.model().numLayers();
            LayerRange range = requested == null ? new LayerRange(1, numLayers) : requested.within(numLayers);
            LayerRange mine = part.part(range);
            EmbeddingOptions options = settings.options(loaded);
            SentenceEmbedder embedder = loaded.embedder(options);
            List<LayerScore> curve = score(embedder, scorers, mine);
            String taskNames = scorers.stream().map(s -> s.dataset().name()).collect(Collectors.joining(","));
            result = SweepResult.of(loaded.name(), taskNames, Settings.of(options.recipe()), range, part, curve,
                    maxDrop);
        }
        ResultJson.write(out, result);
        if (plot != null) {
            SweepPlot.write(result, plot);
        }
        printSummary(result, spec.commandLine().getErr());
        return result;
    }

    /** The curve over {@code range}: per task, every n from one pass over its distinct sentences. */
    private static List<LayerScore> score(SentenceEmbedder embedder, List<StsScorer> scorers, LayerRange range) {
        List<Map<String, TaskResult>> perN = new ArrayList<>();
        for (int k = 0; k < range.size(); k++) {
            perN.add(new LinkedHashMap<>());
        }
        for (StsScorer scorer : scorers) {
            String name = scorer.dataset().name();
            float[][][] vectors = embedder.embedEachLayer(scorer.sentences(), range.first(), range.last(),
                    ProgressReporter.forStderr("sweep " + name + " n=" + range));
            for (int k = 0; k < range.size(); k++) {
                perN.get(k).put(name, scorer.score(vectors[k]));
            }
        }
        List<LayerScore> curve = new ArrayList<>();
        for (int k = 0; k < range.size(); k++) {
            curve.add(LayerScore.average(range.first() + k, perN.get(k)));
        }
        return curve;
    }

    static void printSummary(SweepResult result, PrintWriter err) {
        err.printf("%4s %9s %9s%n", "n", "spearman", "pearson");
        for (LayerScore layer : result.layers()) {
            String mark = result.turningPoint() != null && layer.n() == result.turningPoint() ? "  <- turning point" : "";
            err.printf("%4d %9s %9s%s%n", layer.n(), Score.format(layer.spearman()),
                    Score.format(layer.pearson()), mark);
        }
        err.printf("turning point: %s%s%n", result.turningPoint() == null ? "none (no defined score)"
                        : "n=" + result.turningPoint(),
                result.turningPointProvisional() ? " (provisional: shard " + result.shard() + ")" : "");
        err.flush();
    }
}
