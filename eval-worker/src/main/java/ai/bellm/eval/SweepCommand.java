package ai.bellm.eval;

import ai.bellm.cli.ProgressReporter;
import ai.bellm.cli.TrackedCommand;
import ai.bellm.embed.EmbeddingModel;
import ai.bellm.embed.EmbeddingOptions;
import ai.bellm.embed.SentenceEmbedder;
import ai.bellm.data.Shard;
import ai.bellm.layers.LayerRange;
import ai.bellm.metrics.PairCosines;
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
                "--shard i/n runs every n on the i-th of n contiguous parts of each task's pairs (sizes differ by at"
                + " most one) and keeps each pair's cosine, so that n shards cost one pass over the data in all;"
                + " its curve and turning point are provisional until 'bellm sweep-merge' scores all pairs."})
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

    @Option(names = "--shard", paramLabel = "i/n",
            description = "Score only part i of n of every task's pairs and keep their cosines for sweep-merge"
                    + " (default: all pairs, no cosines kept).")
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
        Shard part = shard == null ? null : Shard.parse(shard);
        List<StsScorer> scorers = tasks.load();
        List<Shard.Slice> slices = part == null ? null : scorers.stream()
                .map(s -> part.slice(s.dataset().size(), "the pairs of task '" + s.dataset().name() + "'")).toList();
        SweepResult result;
        try (EmbeddingModel loaded = settings.load()) {
            int numLayers = loaded.model().numLayers();
            LayerRange range = requested == null ? new LayerRange(1, numLayers) : requested.within(numLayers);
            EmbeddingOptions options = settings.options(loaded);
            SentenceEmbedder embedder = loaded.embedder(options);
            List<LayerScore> curve = new ArrayList<>();
            List<PairCosines> pairs = part == null ? null : new ArrayList<>();
            score(embedder, scorers, slices, range, curve, pairs);
            String taskNames = scorers.stream().map(s -> s.dataset().name()).collect(Collectors.joining(","));
            Settings ran = Settings.of(options.recipe(), loaded.model().precision());
            result = SweepResult.of(loaded.name(), taskNames, ran, range, part, curve, pairs, maxDrop);
        }
        ResultJson.write(out, result);
        if (plot != null) {
            SweepPlot.write(result, plot);
        }
        printSummary(result, spec.commandLine().getErr());
        return result;
    }

    /**
     * Adds to {@code curve} the score of every n in {@code range}, from one pass over each task's distinct
     * sentences; with {@code slices} (a data shard) only over each task's slice of pairs, whose cosines then go to
     * {@code pairs}.
     */
    private static void score(SentenceEmbedder embedder, List<StsScorer> scorers, List<Shard.Slice> slices,
            LayerRange range, List<LayerScore> curve, List<PairCosines> pairs) {
        List<Map<String, TaskResult>> perN = new ArrayList<>();
        for (int k = 0; k < range.size(); k++) {
            perN.add(new LinkedHashMap<>());
        }
        for (int t = 0; t < scorers.size(); t++) {
            StsScorer scorer = slices == null ? scorers.get(t) : scorers.get(t).slice(slices.get(t));
            String name = scorer.dataset().name();
            float[][][] vectors = embedder.embedEachLayer(scorer.sentences(), range.first(), range.last(),
                    ProgressReporter.forStderr("sweep " + name + " n=" + range));
            double[][] cosines = new double[range.size()][];
            for (int k = 0; k < range.size(); k++) {
                cosines[k] = scorer.cosines(vectors[k]);
                perN.get(k).put(name, scorer.score(cosines[k]));
            }
            if (slices != null) {
                pairs.add(new PairCosines(name, slices.get(t).from(), scorers.get(t).dataset().size(), range.first(),
                        scorer.dataset().scores(), cosines));
            }
        }
        for (int k = 0; k < range.size(); k++) {
            curve.add(LayerScore.average(range.first() + k, perN.get(k)));
        }
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
