package ai.bellm.data;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** UTF-8 text files with the existence checks and messages every reader shares. */
final class TextFiles {

    private TextFiles() {
    }

    /** All lines of a UTF-8 file, without a leading byte-order mark. */
    static List<String> readLines(Path file, String what) {
        if (Files.isDirectory(file)) {
            throw new DatasetException(file, what + " is a directory, expected a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file, what + " not found");
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
                lines.set(0, lines.get(0).substring(1));
            }
            return lines;
        } catch (CharacterCodingException e) {
            throw new DatasetException(file, what + " is not valid UTF-8", e);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot read " + what + ": " + e, e);
        }
    }

    static void requireDirectory(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir, what + (Files.exists(dir) ? " is not a directory" : " not found"));
        }
    }

    static DatasetException noPairs(Path file, int skippedLines) {
        return new DatasetException(file, "no scored pairs" + (skippedLines > 0 ? " (" + skippedLines + " lines skipped)" : ""));
    }
}
