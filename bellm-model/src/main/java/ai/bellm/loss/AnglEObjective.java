package ai.bellm.loss;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AnglE training objective: a weighted sum of {@link CosentLoss}, {@link InfoNceLoss} and {@link AngleLoss}.
 *
 * <p>Defaults: every τ = 20 and the angle weight 0.02, as in AnglE's {@code AngleLoss}; CoSENT and InfoNCE both
 * weighted 1.0 (AnglE's current default switches CoSENT off; we keep it on because on scored pairs it is the
 * part that uses the whole order of the gold scores, where InfoNCE only sees which pairs pass a threshold). The angle part is weighted low because its scale is larger and it
 * is meant to help where the cosine saturates, not to dominate. InfoNCE on scored pairs treats a pair as positive
 * when its score is in the top 20% of the scale ({@code positiveThreshold} 0.8: ≥ 4 on STS-B, ≥ 4.2 on SICK), i.e.
 * "mostly equivalent" and above, so that merely related pairs are not pushed together as if they were paraphrases.
 *
 * <p>The ranking parts need gold scores, so positive pairs and triplets get InfoNCE only.
 */
public record AnglEObjective(double cosentWeight, double infoNceWeight, double angleWeight,
                             double cosentTau, double infoNceTau, double angleTau, double positiveThreshold) {

    public static final String COSENT = "cosent";
    public static final String INFONCE = "infonce";
    public static final String ANGLE = "angle";

    public static final double DEFAULT_COSENT_WEIGHT = 1.0;
    public static final double DEFAULT_INFONCE_WEIGHT = 1.0;
    public static final double DEFAULT_ANGLE_WEIGHT = 0.02;
    public static final double DEFAULT_TAU = 20.0;
    public static final double DEFAULT_POSITIVE_THRESHOLD = 0.8;

    public AnglEObjective {
        for (double weight : new double[] {cosentWeight, infoNceWeight, angleWeight}) {
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("loss weights must be finite and >= 0, got " + weight);
            }
        }
        if (cosentWeight + infoNceWeight + angleWeight == 0) {
            throw new IllegalArgumentException("at least one loss weight must be positive");
        }
        for (double tau : new double[] {cosentTau, infoNceTau, angleTau}) {
            if (!(tau > 0) || Double.isInfinite(tau)) {
                throw new IllegalArgumentException("tau must be finite and > 0, got " + tau);
            }
        }
        if (!(positiveThreshold >= 0 && positiveThreshold <= 1)) {
            throw new IllegalArgumentException("positiveThreshold is a fraction of the score range in [0, 1], got "
                    + positiveThreshold);
        }
    }

    public static AnglEObjective defaults() {
        return withWeights(DEFAULT_COSENT_WEIGHT, DEFAULT_INFONCE_WEIGHT, DEFAULT_ANGLE_WEIGHT);
    }

    /** The given weights with the default τ and threshold. */
    public static AnglEObjective withWeights(double cosentWeight, double infoNceWeight, double angleWeight) {
        return new AnglEObjective(cosentWeight, infoNceWeight, angleWeight,
                DEFAULT_TAU, DEFAULT_TAU, DEFAULT_TAU, DEFAULT_POSITIVE_THRESHOLD);
    }

    /** Scored pairs: embeddings of s1 [B, D] and s2 [B, D], gold scores [B] on {@code range}. */
    public LossValue scoredPairs(NDArray u, NDArray v, NDArray gold, ScoreRange range) {
        Map<String, NDArray> parts = new LinkedHashMap<>();
        if (cosentWeight > 0) {
            parts.put(COSENT, CosentLoss.compute(u, v, gold, cosentTau));
        }
        if (infoNceWeight > 0) {
            parts.put(INFONCE, InfoNceLoss.scored(u, v, gold, range, positiveThreshold, infoNceTau));
        }
        if (angleWeight > 0) {
            parts.put(ANGLE, AngleLoss.compute(u, v, gold, angleTau));
        }
        return combine(parts);
    }

    /** Positive pairs: anchors [B, D] and positives [B, D]; InfoNCE only. */
    public LossValue pairs(NDArray anchors, NDArray positives) {
        requireInfoNce("positive pairs");
        return combine(Map.of(INFONCE, InfoNceLoss.pairs(anchors, positives, infoNceTau)));
    }

    /** Triplets: anchors, positives and hard negatives, each [B, D]; InfoNCE only. */
    public LossValue triplets(NDArray anchors, NDArray positives, NDArray negatives) {
        requireInfoNce("triplets");
        return combine(Map.of(INFONCE, InfoNceLoss.triplets(anchors, positives, negatives, infoNceTau)));
    }

    private void requireInfoNce(String data) {
        if (infoNceWeight == 0) {
            throw new IllegalStateException("only InfoNCE applies to " + data + " (the other parts need gold scores), "
                    + "but its weight is 0");
        }
    }

    private LossValue combine(Map<String, NDArray> parts) {
        NDArray total = null;
        for (Map.Entry<String, NDArray> part : parts.entrySet()) {
            NDArray weighted = part.getValue().mul(Tensors.scalar(part.getValue(), weight(part.getKey())));
            total = total == null ? weighted : total.add(weighted);
        }
        return new LossValue(total, parts);
    }

    private double weight(String part) {
        return switch (part) {
            case COSENT -> cosentWeight;
            case INFONCE -> infoNceWeight;
            case ANGLE -> angleWeight;
            default -> throw new IllegalArgumentException(part);
        };
    }
}
