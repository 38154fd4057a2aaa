package ai.bellm.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real MLflow tracking server run through {@code scripts/mlflow-server.sh}, or an external one
 * ({@code MLFLOW_TRACKING_URI}). A started server can be stopped and started again on the same store and port.
 */
public final class MlflowServer implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";

    /** The basic-auth app's administrator, whose password {@link #startWithBasicAuth} sets. */
    public static final String ADMIN = "admin";

    private final Path stateDir; // null for an external server
    private final String host;
    private final String adminPassword; // null: no authentication
    private String uri;

    private MlflowServer(Path stateDir, String host, String adminPassword, String uri) {
        this.stateDir = stateDir;
        this.host = host;
        this.adminPassword = adminPassword;
        this.uri = uri;
    }

    /** Starts (or reuses, if already running) the server whose store is {@code stateDir}, on loopback. */
    public static MlflowServer start(Path stateDir) {
        return start(stateDir, LOOPBACK);
    }

    /** As {@link #start(Path)}, listening on {@code host}: e.g. the address pods reach this machine by. */
    public static MlflowServer start(Path stateDir, String host) {
        MlflowServer server = new MlflowServer(stateDir.toAbsolutePath(), host, null, null);
        server.start();
        return server;
    }

    /** A server on loopback running MLflow's basic-auth app: every request needs {@link #ADMIN}'s credentials. */
    public static MlflowServer startWithBasicAuth(Path stateDir, String adminPassword) {
        MlflowServer server = new MlflowServer(stateDir.toAbsolutePath(), LOOPBACK, adminPassword, null);
        server.start();
        return server;
    }

    static MlflowServer external(String uri) {
        return new MlflowServer(null, null, null, uri);
    }

    public String uri() {
        return uri;
    }

    /** Starts the server again after {@link #stop()}: same store, same port (so clients keep their URI). */
    public void start() {
        requireOwned();
        String started = script("start");
        if (uri != null && !uri.equals(started)) {
            throw new IllegalStateException("server came back on " + started + " instead of " + uri);
        }
        uri = started;
    }

    public void stop() {
        requireOwned();
        script("stop");
    }

    @Override
    public void close() {
        if (stateDir != null) {
            stop();
        }
    }

    private void requireOwned() {
        if (stateDir == null) {
            throw new IllegalStateException("external server " + uri + " is not started or stopped by tests");
        }
    }

    private String script(String command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(findScript().toString(), command, stateDir.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("BELLM_MLFLOW_HOST", host);
            if (adminPassword != null) {
                builder.environment().put("BELLM_MLFLOW_ADMIN_PASSWORD", adminPassword);
            }
            Process p = builder.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("mlflow-server.sh " + command + " " + stateDir + " failed: " + out);
            }
            return out.isEmpty() ? null : out.lines().reduce((a, b) -> b).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The script of the checkout the tests run in: the first {@code scripts/mlflow-server.sh} above the working dir. */
    static Path findScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("scripts/mlflow-server.sh");
            if (Files.isExecutable(script)) {
                return script;
            }
        }
        throw new IllegalStateException("scripts/mlflow-server.sh not found above " + Path.of("").toAbsolutePath());
    }
}
