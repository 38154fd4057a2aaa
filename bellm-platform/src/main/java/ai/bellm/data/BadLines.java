package ai.bellm.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Applies a {@link BadLinePolicy} to the malformed lines of one file and counts what it skips. */
final class BadLines {

    private final Path file;
    private final BadLinePolicy policy;
    private int skipped;

    BadLines(Path file, BadLinePolicy policy) {
        this.file = file;
        this.policy = policy;
    }

    /** One line's content to a value, or a {@link BadLineException} when the line is malformed. */
    @FunctionalInterface
    interface LineParser<T> {
        T parse(String line) throws BadLineException;
    }

    /**
     * Parses {@code lines} from index {@code first} on (blank lines are ignored, not counted); a malformed line fails
     * the read or is skipped and counted, according to the policy. Line numbers in errors are 1-based.
     */
    <T> List<T> parseEach(List<String> lines, int first, LineParser<T> parser) {
        List<T> values = new ArrayList<>();
        for (int i = first; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                values.add(parser.parse(lines.get(i)));
            } catch (BadLineException e) {
                reject(i + 1, e);
            }
        }
        return values;
    }

    /** Fails or counts a malformed line, according to the policy. */
    void reject(int lineNumber, BadLineException problem) {
        if (policy == BadLinePolicy.FAIL) {
            throw new DatasetException(file, lineNumber, problem.getMessage());
        }
        skipped++;
    }

    int skipped() {
        return skipped;
    }
}
