package ai.bellm.experiment.workflow;

import ai.bellm.tracking.ModelVersion;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a trained model replaces the registered model's champion: yes when there is none, when the champion
 * carries no score for the metric, or when the new score beats the champion's by at least {@code minGain}.
 */
public record PromotionDecision(boolean promote, String reason, String championVersion, Double championScore) {

    /** The version tag holding a version's score under the promotion metric. */
    public static String scoreTag(String metric) {
        return "bellm.score." + metric;
    }

    public static PromotionDecision decide(String metric, double score, Optional<ModelVersion> champion, double minGain) {
        if (champion.isEmpty()) {
            return new PromotionDecision(true, "no champion yet", null, null);
        }
        ModelVersion c = champion.get();
        String tag = c.tags().get(scoreTag(metric));
        if (tag == null) {
            return new PromotionDecision(true, "champion version " + c.version() + " has no " + metric + " score",
                    c.version(), null);
        }
        double championScore = Double.parseDouble(tag);
        boolean better = score >= championScore + minGain;
        String reason = String.format(Locale.ROOT, "%s %.4f %s champion version %s (%.4f) by at least %s", metric,
                score, better ? "beats" : "does not beat", c.version(), championScore, minGain);
        return new PromotionDecision(better, reason, c.version(), championScore);
    }
}
