package ai.bellm.data;

/** What a reader does with a malformed line. */
public enum BadLinePolicy {
    /** Throw a {@link DatasetException} naming the file, the line number and the problem. */
    FAIL,
    /** Skip the line and count it in {@link StsDataset#skippedLines()}. */
    SKIP
}
