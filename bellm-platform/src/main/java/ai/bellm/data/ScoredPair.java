package ai.bellm.data;

import java.util.Objects;

/** Two sentences and their gold similarity score (scale of the source data set, e.g. 0–5 for STS-B). */
public record ScoredPair(String s1, String s2, double score) {

    public ScoredPair {
        Objects.requireNonNull(s1, "s1");
        Objects.requireNonNull(s2, "s2");
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("score must be finite, got " + score);
        }
    }
}
