package ai.bellm.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts a {@code bellm} command (a worker step or the embedding service) as a process of its own: through the
 * {@code ./bellm} launcher in a real run, as a child JVM of the test classpath in tests.
 */
public interface WorkerProcesses {

    /**
     * @param args the command line after {@code bellm}
     * @param env  added to this process's environment
     * @param dir  the working directory (relative paths of the command resolve there)
     * @param log  receives stdout and stderr
     */
    Process start(List<String> args, Map<String, String> env, Path dir, Path log) throws IOException;
}
