package ai.bellm.eval;

import ai.bellm.data.BadLinePolicy;
import ai.bellm.data.StsDataset;
import ai.bellm.data.TaskSpec;
import java.util.List;
import picocli.CommandLine.Option;

/** The STS tasks of {@code evaluate} and {@code sweep}. */
final class TaskOptions {

    @Option(names = "--task", required = true, paramLabel = "NAME=FORMAT:PATH",
            description = "An STS task, repeatable; FORMAT: stsb, sick, senteval (a directory of STS.input/STS.gs"
                    + " files), jsonl. Example: stsb-dev=stsb:data/stsbenchmark/sts-dev.csv")
    List<String> specs;

    @Option(names = "--skip-bad-lines",
            description = "Skip (and count) malformed data lines instead of failing on the first one.")
    boolean skipBadLines;

    /** Reads every task's data, before the model is loaded, so that a bad path fails in a second. */
    List<StsScorer> load() {
        BadLinePolicy policy = skipBadLines ? BadLinePolicy.SKIP : BadLinePolicy.FAIL;
        return TaskSpec.parseAll(specs).stream().map(task -> new StsScorer(task.load(policy))).toList();
    }
}
