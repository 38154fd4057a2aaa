package ai.bellm.eval;

import ai.bellm.cli.CliErrors;
import ai.bellm.cli.ManifestVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the eval worker: {@code bellm embed | evaluate | sweep | sweep-merge | tiny-model}. */
@Command(name = "bellm",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = "BeLLM sentence embeddings: embed texts, evaluate on STS, sweep the layer count.",
        subcommands = {EmbedCommand.class, EvaluateCommand.class, SweepCommand.class, SweepMergeCommand.class,
                TinyModelCommand.class,
                CommandLine.HelpCommand.class})
public final class EvalWorker {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the project's error handling, for main and for tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new EvalWorker())
                .setExecutionExceptionHandler(new CliErrors())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
