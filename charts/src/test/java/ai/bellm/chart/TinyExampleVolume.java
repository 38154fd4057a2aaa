package ai.bellm.chart;

import ai.bellm.data.SyntheticStsPairs;
import ai.bellm.testing.WorkerJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * What crds/examples/tiny.yaml reads from its volume (mounted at /data): {@code models/tiny} (the workers'
 * {@code bellm tiny-model}, seed 7, as {@code ./bellm run} writes it) and {@code tiny/{train,dev}.jsonl}.
 */
final class TinyExampleVolume {
    static final String MODEL = "models/tiny";
    static final String DEV = "tiny/dev.jsonl";

    private TinyExampleVolume() {
    }

    /** Writes the volume into {@code dir/data}, readable by uid 10001 (@TempDir directories are owner-only). */
    static Path write(Path dir) throws IOException, InterruptedException {
        Path data = Files.createDirectories(dir.resolve("data"));
        WorkerJar.EVAL.run(List.of("tiny-model", "--out", data.resolve(MODEL).toString(), "--seed", "7"),
                dir.resolve("tiny-model.log"), 120);
        Files.createDirectories(data.resolve("tiny"));
        SyntheticStsPairs.writeTrainSet(data.resolve("tiny/train.jsonl"));
        SyntheticStsPairs.writeDevSet(data.resolve(DEV));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return data;
    }
}
