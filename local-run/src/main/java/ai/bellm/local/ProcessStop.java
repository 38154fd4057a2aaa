package ai.bellm.local;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Ends a child process and whatever it started: SIGTERM first, then SIGKILL after a grace period. */
final class ProcessStop {

    private ProcessStop() {
    }

    static void gracefully(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
