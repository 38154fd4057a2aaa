package ai.bellm.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Writes a file whole or not at all: into a hidden sibling, renamed over the target once complete, so a reader (or a
 * retried pod) never sees half a file. The file gets the default permissions (the umask's), not the owner-only ones
 * of {@link Files#createTempFile}: models and results are read by other users, e.g. step pods running as uid 10001.
 */
public final class AtomicFile {

    /** Fills the (existing, empty) temporary file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path file) throws IOException;
    }

    private AtomicFile() {
    }

    public static Path write(Path target, Content content) throws IOException {
        Path file = target.toAbsolutePath();
        Files.createDirectories(file.getParent());
        Path tmp = Files.createFile(file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp"));
        try {
            content.writeTo(tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }
}
