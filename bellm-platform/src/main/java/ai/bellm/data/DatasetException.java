package ai.bellm.data;

import java.nio.file.Path;

/** A data file that cannot be read: missing, empty, or with a malformed line (then {@link #line()} is positive). */
public class DatasetException extends RuntimeException {

    private final Path file;
    private final int line;

    public DatasetException(Path file, String message) {
        this(file, 0, message, null);
    }

    public DatasetException(Path file, String message, Throwable cause) {
        this(file, 0, message, cause);
    }

    public DatasetException(Path file, int line, String problem) {
        this(file, line, problem, null);
    }

    private DatasetException(Path file, int line, String message, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message, cause);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based line number, or 0 when the problem concerns the whole file. */
    public int line() {
        return line;
    }
}
