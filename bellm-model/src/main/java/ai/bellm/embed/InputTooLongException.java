package ai.bellm.embed;

/** A text whose prompted token count exceeds the limit, when over-long input is rejected rather than truncated. */
public class InputTooLongException extends IllegalArgumentException {

    private final int tokens;
    private final int limit;

    public InputTooLongException(int tokens, int limit) {
        super("input has " + tokens + " tokens with its prompt, over the limit of " + limit);
        this.tokens = tokens;
        this.limit = limit;
    }

    public int tokens() {
        return tokens;
    }

    public int limit() {
        return limit;
    }
}
