package ai.bellm.eval;

import ai.bellm.cli.BidirectionalOption;
import ai.bellm.cli.ProgressReporter;
import ai.bellm.cli.TrackedCommand;
import ai.bellm.embed.EmbeddingModel;
import ai.bellm.embed.EmbeddingOptions;
import ai.bellm.embed.SentenceEmbedder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bellm evaluate}: STS Spearman/Pearson of a model on one or more tasks, as a JSON file. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Embed every distinct sentence of each task once, score the cosine similarity of each pair"
                + " against the gold scores (Spearman and Pearson x100; SentEval: the \"all\" setting) and write"
                + " the scores and their average Spearman to --out. A summary table goes to stderr.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EmbeddingSettings settings;

    @Mixin
    BidirectionalOption bidirectional;

    @Mixin
    TaskOptions tasks;

    @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Where to write the result.")
    Path out;

    @Override
    public Integer call() throws Exception {
        return TrackedCommand.run(run -> {
            EvaluationResult result = evaluate();
            run.ifPresent(r -> ResultLogging.evaluation(r, result, out));
            return 0;
        });
    }

    private EvaluationResult evaluate() throws IOException {
        List<StsScorer> scorers = tasks.load();
        Map<String, TaskResult> results = new LinkedHashMap<>();
        String modelName;
        Settings ran;
        try (EmbeddingModel loaded = settings.load()) {
            modelName = loaded.name();
            EmbeddingOptions options = settings.options(loaded, bidirectional);
            ran = Settings.of(options.recipe(), loaded.model().precision());
            SentenceEmbedder embedder = loaded.embedder(options);
            for (StsScorer scorer : scorers) {
                String name = scorer.dataset().name();
                float[][] vectors = embedder.embed(scorer.sentences(), ProgressReporter.forStderr("evaluate " + name));
                results.put(name, scorer.score(vectors));
            }
        }
        Double average = Score.mean(results.values().stream().map(TaskResult::spearman).toList());
        EvaluationResult result = new EvaluationResult(modelName,
                ran, results, average);
        ResultJson.write(out, result);
        printSummary(result, spec.commandLine().getErr());
        return result;
    }

    private static void printSummary(EvaluationResult result, PrintWriter err) {
        String row = "%-20s %7s %9s %9s %9s%n";
        err.printf(row, "task", "pairs", "sentences", "spearman", "pearson");
        result.tasks().forEach((name, r) -> err.printf(row, name, r.pairs(), r.sentences(),
                Score.format(r.spearman()), Score.format(r.pearson())));
        err.printf(row, "average", "", "", Score.format(result.average()), "");
        err.flush();
    }
}
