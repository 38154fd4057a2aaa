package ai.bellm.data;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One training example, in one of three shapes (see {@link Kind}).
 *
 * @param text     the first sentence ({@code s1} of a scored pair, {@code text} of a pair or triplet)
 * @param partner  the second sentence ({@code s2} of a scored pair, {@code positive} of a pair or triplet)
 * @param score    the similarity of {@code text} and {@code partner}, only for a scored pair
 * @param negative a sentence unrelated to {@code text}, only for a triplet
 */
public record TrainingExample(String text, String partner, OptionalDouble score, Optional<String> negative) {

    /** The shape of an example; a training file holds one shape only. */
    public enum Kind {
        /** {@code {"s1", "s2", "score"}} */
        SCORED_PAIR,
        /** {@code {"text", "positive"}} */
        POSITIVE_PAIR,
        /** {@code {"text", "positive", "negative"}} */
        TRIPLET
    }

    public TrainingExample {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(partner, "partner");
        if (score.isPresent() && negative.isPresent()) {
            throw new IllegalArgumentException("a training example has either a score or a negative, not both");
        }
        if (score.isPresent() && !Double.isFinite(score.getAsDouble())) {
            throw new IllegalArgumentException("score must be finite, got " + score.getAsDouble());
        }
    }

    public static TrainingExample scoredPair(String s1, String s2, double score) {
        return new TrainingExample(s1, s2, OptionalDouble.of(score), Optional.empty());
    }

    public static TrainingExample positivePair(String text, String positive) {
        return new TrainingExample(text, positive, OptionalDouble.empty(), Optional.empty());
    }

    public static TrainingExample triplet(String text, String positive, String negative) {
        return new TrainingExample(text, positive, OptionalDouble.empty(), Optional.of(negative));
    }

    public Kind kind() {
        if (score.isPresent()) {
            return Kind.SCORED_PAIR;
        }
        return negative.isPresent() ? Kind.TRIPLET : Kind.POSITIVE_PAIR;
    }
}
