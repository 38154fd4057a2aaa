package ai.bellm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test classpath in a child JVM, with the DJL settings of the build and an environment of
 * its own: for what a test cannot do in-process, such as killing a worker or handing it MLFLOW_RUN_ID.
 */
public final class JavaProcess {

    private JavaProcess() {
    }

    /** Starts {@code main} with {@code args}; its stdout and stderr go to {@code log}. */
    public static Process start(Class<?> main, Map<String, String> env, Path log, List<String> args)
            throws IOException {
        return start(main, env, log, args, Path.of(""));
    }

    /** As {@link #start(Class, Map, Path, List)}, in the working directory {@code dir} (relative paths resolve there). */
    public static Process start(Class<?> main, Map<String, String> env, Path log, List<String> args, Path dir)
            throws IOException {
        return start(List.of("-cp", System.getProperty("java.class.path"), main.getName()), env, log, args, dir);
    }

    /** Runs an executable jar (e.g. a packaged Quarkus application) the same way. */
    public static Process startJar(Path jar, Map<String, String> env, Path log, List<String> args, Path dir)
            throws IOException {
        return start(List.of("-jar", jar.toString()), env, log, args, dir);
    }

    private static Process start(List<String> target, Map<String, String> env, Path log, List<String> args, Path dir)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1"));
        command.addAll(target);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(dir.toAbsolutePath().toFile());
        builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Runs {@code main} to its end (at most {@code timeoutSeconds}) and returns its exit code. */
    public static int run(Class<?> main, Map<String, String> env, Path log, List<String> args, long timeoutSeconds)
            throws IOException, InterruptedException {
        Process process = start(main, env, log, args);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(main.getSimpleName() + " did not end within " + timeoutSeconds + " s; log:\n"
                    + Files.readString(log));
        }
        return process.exitValue();
    }
}
