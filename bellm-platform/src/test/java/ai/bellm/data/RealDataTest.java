package ai.bellm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Row counts of the real STS-B and SICK files, read strictly. Skipped unless the data is present: set
 * {@code BELLM_DATA_DIR}, or place it at {@code ../shared/data} relative to the repository root, or at
 * {@code /work/shared/data}.
 */
class RealDataTest {

    @Test
    void stsBenchmarkRowCounts() {
        Path dir = dataDir().resolve("stsbenchmark");
        assumeTrue(Files.isDirectory(dir), "STS-B data not found at " + dir + " (set BELLM_DATA_DIR)");

        assertThat(StsbReader.read(dir.resolve("sts-train.csv"), "train", BadLinePolicy.FAIL).size()).isEqualTo(5749);
        assertThat(StsbReader.read(dir.resolve("sts-dev.csv"), "dev", BadLinePolicy.FAIL).size()).isEqualTo(1500);
        assertThat(StsbReader.read(dir.resolve("sts-test.csv"), "test", BadLinePolicy.FAIL).size()).isEqualTo(1379);
    }

    @Test
    void sickRowCounts() {
        Path dir = dataDir().resolve("sick2014");
        assumeTrue(Files.isDirectory(dir), "SICK data not found at " + dir + " (set BELLM_DATA_DIR)");

        assertThat(SickReader.read(dir.resolve("SICK_train.txt"), "train", BadLinePolicy.FAIL).size()).isEqualTo(4500);
        assertThat(SickReader.read(dir.resolve("SICK_trial.txt"), "trial", BadLinePolicy.FAIL).size()).isEqualTo(500);
    }

    private static Path dataDir() {
        String env = System.getenv("BELLM_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return repoRoot().map(root -> root.resolve("../shared/data").normalize())
                .filter(Files::isDirectory)
                .orElse(Path.of("/work/shared/data"));
    }

    /** Surefire runs in the module directory; the repository root is the nearest ancestor holding bellm-platform. */
    private static Optional<Path> repoRoot() {
        return Stream.iterate(Path.of("").toAbsolutePath(), p -> p != null, Path::getParent)
                .filter(p -> Files.isDirectory(p.resolve("bellm-platform")))
                .findFirst();
    }
}
