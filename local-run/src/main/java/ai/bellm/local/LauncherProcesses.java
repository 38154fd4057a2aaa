package ai.bellm.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code bellm} commands through the checkout's {@code ./bellm} launcher, which the run built beforehand. */
record LauncherProcesses(Path launcher) implements WorkerProcesses {

    @Override
    public Process start(List<String> args, Map<String, String> env, Path dir, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }
}
