package ai.bellm.recipe;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** How one vector is taken from a sequence's hidden states; padding positions never contribute. */
public enum Pooling {
    /** The hidden state of the last real token (BeLLM's default: the prompt ends where the "word" is predicted). */
    @JsonProperty("last") LAST_TOKEN("last"),
    /** The mean over the real tokens. */
    @JsonProperty("mean") MEAN("mean");

    private final String cliName;

    Pooling(String cliName) {
        this.cliName = cliName;
    }

    /** Parses {@code last} or {@code mean} (the spelling of options, resources and packages). */
    public static Pooling parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "last", "last_token", "last-token" -> LAST_TOKEN;
            case "mean", "avg" -> MEAN;
            default -> throw new IllegalArgumentException("unknown pooling '" + name + "' (use last or mean)");
        };
    }

    public String cliName() {
        return cliName;
    }
}
