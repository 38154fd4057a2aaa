package ai.bellm.chart;

import com.github.dockerjava.api.model.Capability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;

/**
 * The platform's images built by {@code scripts/build-images.sh} from this build's Maven outputs (the reactor packaged
 * them before this module), once per test JVM, into the local docker daemon. Needs root (the base image's
 * debootstrap, the first time) and the daemon of {@code scripts/container-runtime.sh}.
 */
final class LocalImages {
    private static final String USER = "10001:10001";
    /** Tests run in the module directory, charts/. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String TAG = "e2e";
    private static boolean built;

    private LocalImages() {
    }

    static String image(String name) {
        return "bellm/" + name + ":" + TAG;
    }

    /**
     * A container of {@code image} as Kubernetes' restricted profile runs the step pods: uid 10001, read-only root,
     * all capabilities dropped, no new privileges, {@code /tmp} a writable (exec) tmpfs, {@code dataVolume} mounted
     * read-only on /data.
     */
    static GenericContainer<?> restricted(String image, Path dataVolume) {
        return new GenericContainer<>(image(image))
                .withFileSystemBind(dataVolume.toString(), "/data", BindMode.READ_ONLY)
                .withTmpFs(Map.of("/tmp", "rw,exec"))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withUser(USER);
                    cmd.getHostConfig().withReadonlyRootfs(true).withCapDrop(Capability.ALL)
                            .withSecurityOpts(List.of("no-new-privileges"));
                });
    }

    /**
     * Runs {@code bellm ARGS} in a restricted workers container, with {@code binds} (host directory to container path)
     * mounted writable; returns its output.
     */
    static String runWorker(Path dataVolume, Map<Path, String> binds, Duration timeout, String... args) {
        GenericContainer<?> container = restricted("workers", dataVolume).withCommand(args)
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(timeout));
        binds.forEach((host, path) -> container.withFileSystemBind(host.toString(), path, BindMode.READ_WRITE));
        try (GenericContainer<?> worker = container) {
            worker.start();
            return worker.getLogs();
        }
    }

    static synchronized void build() throws IOException, InterruptedException {
        if (built) {
            return;
        }
        Path log = Files.createTempFile("build-images", ".log");
        Process build = new ProcessBuilder(ROOT.resolve("scripts/build-images.sh").toString(), "--no-maven",
                "--tag", TAG).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!build.waitFor(15, TimeUnit.MINUTES) || build.exitValue() != 0) {
            build.destroyForcibly();
            throw new AssertionError("scripts/build-images.sh failed:\n" + Files.readString(log));
        }
        Files.delete(log);
        built = true;
    }
}
