package ai.bellm.local;

import ai.bellm.cli.CliErrors;
import ai.bellm.cli.ManifestVersion;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the local run: {@code bellm run EXPERIMENT.yaml}. */
@Command(name = "bellm",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = "Run a BeLLM experiment on this machine.")
public final class LocalRun {

    public static void main(String[] args) {
        Checkout checkout = Checkout.fromEnv();
        System.exit(commandLine(new LauncherProcesses(checkout.launcher()), () -> checkout).execute(args));
    }

    /**
     * The command line with the project's error handling.
     *
     * @param processes how steps and the service are started
     * @param checkout  the BeLLM checkout (scripts, example data); asked only when needed
     */
    static CommandLine commandLine(WorkerProcesses processes, Supplier<Checkout> checkout) {
        return new CommandLine(new LocalRun())
                .addSubcommand(new RunCommand(processes, checkout))
                .addSubcommand(new CommandLine.HelpCommand())
                .setExecutionExceptionHandler(new CliErrors());
    }
}
