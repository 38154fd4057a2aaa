package ai.bellm.serve;

/** Why a record went to the dead-letter topic (header {@code bellm.dlq.reason}). */
public enum DlqReason {
    MALFORMED_JSON("malformed-json"),
    EMPTY_TEXT("empty-text"),
    TOO_MANY_TOKENS("too-many-tokens"),
    INVALID_UTF8("invalid-utf8"),
    TOO_LARGE("too-large"),
    /** The model failed on the text, alone, after the batch failed {@code bellm.kafka.max-attempts} times. */
    EMBEDDING_FAILED("embedding-failed");

    private final String value;

    DlqReason(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
