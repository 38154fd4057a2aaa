package ai.bellm.local;

import ai.bellm.eval.EvalWorker;
import ai.bellm.testing.JavaProcess;
import ai.bellm.train.TrainingWorker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code bellm} commands for tests, without the launcher: the workers' real entry points in child JVMs of the test
 * classpath, and {@code serve} as embed-service's packaged Quarkus application (built by the reactor before this
 * module, path from the {@code bellm.embedServiceJar} system property).
 */
final class TestWorkers implements WorkerProcesses {

    @Override
    public Process start(List<String> args, Map<String, String> env, Path dir, Path log) throws IOException {
        return switch (args.get(0)) {
            case "serve" -> serve(env, dir, log);
            case "train" -> JavaProcess.start(TrainingWorker.class, env, log, args, dir);
            default -> JavaProcess.start(EvalWorker.class, env, log, args, dir);
        };
    }

    private static Process serve(Map<String, String> env, Path dir, Path log) throws IOException {
        Path jar = Path.of(System.getProperty("bellm.embedServiceJar", "missing"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no embed-service application at " + jar
                    + ": build it first (mvn -pl local-run -am verify builds it)");
        }
        return JavaProcess.startJar(jar, env, log, List.of(), dir);
    }
}
