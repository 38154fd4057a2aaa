package ai.bellm.chart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.MountableFile;

/**
 * The three images of docker/, built with Docker from Maven's outputs ({@code mvn -B package -DskipTests} first)
 * and imported into a K3s node's containerd, so pods start them without a registry.
 */
enum BellmImage {
    OPERATOR("operator", List.of("operator/target/quarkus-app")),
    WORKERS("workers", List.of("docker/bellm-worker.sh", "eval-worker/target/eval-worker.jar",
            "eval-worker/target/lib", "training-worker/target/training-worker.jar", "training-worker/target/lib")),
    EMBED_SERVICE("embed-service", List.of("embed-service/target/quarkus-app"));

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String TAG = "k3s-test";
    private final String name;
    private final List<String> context;

    BellmImage(String name, List<String> context) {
        this.name = name;
        this.context = context;
    }

    String repository() {
        return "bellm/" + name;
    }

    String image() {
        return repository() + ":" + TAG;
    }

    /** docker build with docker/NAME.Dockerfile and only the files it copies, then ctr import on the node. */
    void buildInto(K3sContainer k3s) throws IOException, InterruptedException {
        ImageFromDockerfile build = new ImageFromDockerfile(image(), false)
                .withFileFromPath("Dockerfile", ROOT.resolve("docker").resolve(name + ".Dockerfile"));
        for (String path : context) {
            Path source = ROOT.resolve(path);
            if (!Files.exists(source)) {
                throw new IllegalStateException(source + " is missing: run `mvn -B package -DskipTests` first");
            }
            build.withFileFromPath(path, source);
        }
        build.get();
        Path tar = Files.createTempFile(name, ".tar");
        try (InputStream image = DockerClientFactory.instance().client().saveImageCmd(image()).exec()) {
            Files.copy(image, tar, StandardCopyOption.REPLACE_EXISTING);
        }
        k3s.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/" + name + ".tar");
        ExecResult imported = k3s.execInContainer("ctr", "-n", "k8s.io", "images", "import", "/tmp/" + name + ".tar");
        if (imported.getExitCode() != 0) {
            throw new UncheckedIOException(new IOException("ctr import of " + image() + ": " + imported.getStderr()));
        }
        Files.delete(tar);
    }
}
