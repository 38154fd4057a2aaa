package ai.bellm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** How one vector is taken from a sequence's hidden states; padding positions never contribute. */
public enum Pooling {
    /** The hidden state of the last real token (BeLLM's default: the prompt ends where the "word" is predicted). */
    LAST_TOKEN,
    /** The mean over the real tokens. */
    MEAN;

    /** Pools hidden [B, T, H] into [B, H] as a weighted sum over positions, with weights built from the lengths. */
    public NDArray pool(NDArray hidden, TokenBatch batch) {
        int t = batch.maxLength();
        float[] weights = new float[batch.size() * t];
        for (int b = 0; b < batch.size(); b++) {
            int len = batch.length(b);
            if (this == LAST_TOKEN) {
                weights[b * t + len - 1] = 1f;
            } else {
                for (int i = 0; i < len; i++) {
                    weights[b * t + i] = 1f / len;
                }
            }
        }
        NDArray w = hidden.getManager().create(weights, new Shape(batch.size(), 1, t));
        return w.matMul(hidden).squeeze(1);
    }

    /** Parses {@code last} or {@code mean} (the CLI and config spelling). */
    public static Pooling parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "last", "last_token", "last-token" -> LAST_TOKEN;
            case "mean", "avg" -> MEAN;
            default -> throw new IllegalArgumentException("unknown pooling '" + name + "' (use last or mean)");
        };
    }

    public String cliName() {
        return this == LAST_TOKEN ? "last" : "mean";
    }
}
