package ai.bellm.data;

import java.nio.file.Path;

/** Applies a {@link BadLinePolicy} to the malformed lines of one file and counts what it skips. */
final class BadLines {

    private final Path file;
    private final BadLinePolicy policy;
    private int skipped;

    BadLines(Path file, BadLinePolicy policy) {
        this.file = file;
        this.policy = policy;
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
