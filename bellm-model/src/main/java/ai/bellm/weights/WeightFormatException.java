package ai.bellm.weights;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A weight file is malformed or does not hold what was asked of it (truncated data, bad magic, unknown tensor type,
 * missing tensor, shape mismatch, invalid header). The message always names the file.
 */
public class WeightFormatException extends IOException {

    private final transient Path file;

    public WeightFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public WeightFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
