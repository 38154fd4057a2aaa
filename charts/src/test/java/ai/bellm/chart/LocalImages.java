package ai.bellm.chart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The platform's images built by {@code scripts/build-images.sh} from this build's Maven outputs (the reactor packaged
 * them before this module), once per test JVM, into the local docker daemon. Needs root (the base image's
 * debootstrap, the first time) and the daemon of {@code scripts/container-runtime.sh}.
 */
final class LocalImages {
    /** Tests run in the module directory, charts/. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String TAG = "e2e";
    private static boolean built;

    private LocalImages() {
    }

    static String image(String name) {
        return "bellm/" + name + ":" + TAG;
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
