package ai.bellm.train;

import ai.bellm.cli.CliErrors;
import ai.bellm.cli.ManifestVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the training worker: {@code bellm train}. */
@Command(name = "bellm",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = "BeLLM training: fine-tune a decoder LLM into a sentence embedder with the AnglE objective.",
        subcommands = {TrainCommand.class, CommandLine.HelpCommand.class})
public final class TrainingWorker {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the project's error handling, for main and for tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new TrainingWorker())
                .setExecutionExceptionHandler(new CliErrors())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
