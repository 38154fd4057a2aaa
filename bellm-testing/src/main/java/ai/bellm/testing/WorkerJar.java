package ai.bellm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The worker CLIs as this build packages them ({@code <module>/target/<module>.jar} with {@code lib/}): the jars the
 * workers image ships, run by tests in child JVMs so that no test classpath needs the model engine.
 */
public enum WorkerJar {
    EVAL("eval-worker"),
    TRAINING("training-worker");

    private final String module;

    WorkerJar(String module) {
        this.module = module;
    }

    /** The worker that runs {@code bellm COMMAND}, as the workers image's {@code bellm} script chooses it. */
    public static WorkerJar forCommand(String command) {
        return "train".equals(command) ? TRAINING : EVAL;
    }

    /** The packaged jar; tests run in a module after the workers in the reactor, so it is built by then. */
    public Path path() {
        Path jar = Path.of("..", module, "target", module + ".jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is not built: run `mvn package -pl " + module + " -am` first");
        }
        return jar;
    }

    /** Starts {@code bellm ARGS} of this worker in {@code dir}; stdout and stderr go to {@code log}. */
    public Process start(List<String> args, Map<String, String> env, Path log, Path dir) throws IOException {
        return JavaProcess.startJar(path(), env, log, args, dir);
    }

    /** Runs {@code bellm ARGS} to its end and fails with the log unless it exits 0 within {@code timeoutSeconds}. */
    public void run(List<String> args, Path log, long timeoutSeconds) throws IOException, InterruptedException {
        Process process = start(args, Map.of(), log, Path.of(""));
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bellm " + args + " did not end within " + timeoutSeconds + " s; log:\n"
                    + Files.readString(log));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("bellm " + args + " exited " + process.exitValue() + "; log:\n"
                    + Files.readString(log));
        }
    }
}
