package ai.bellm.train;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of the training worker; the {@code train} subcommand is still to come. */
@Command(name = "bellm-train",
        mixinStandardHelpOptions = true,
        versionProvider = TrainingWorker.Version.class,
        description = "BeLLM training: fine-tune a decoder LLM into a sentence embedder with the AnglE objective.")
public final class TrainingWorker implements Runnable {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainingWorker()).execute(args));
    }

    /** Without a subcommand there is nothing to do yet: print the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The version from the jar manifest (or "dev" when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TrainingWorker.class.getPackage().getImplementationVersion();
            return new String[] {"bellm training-worker " + (version == null ? "dev" : version)};
        }
    }
}
