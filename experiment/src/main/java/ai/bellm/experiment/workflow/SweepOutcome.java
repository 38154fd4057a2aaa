package ai.bellm.experiment.workflow;

import ai.bellm.metrics.CurvePoint;
import ai.bellm.metrics.CurveShard;
import ai.bellm.metrics.TurningPoint;
import ai.bellm.metrics.TurningPointRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The merged curve of the sweep shards, its turning point t, and the first bidirectional layer K for training:
 * K = min(t, L - 2), with L the sweep's last layer count (the model's when the sweep covers every layer). With
 * last-token pooling a bidirectional last layer alone changes nothing (the last token attends to every token
 * anyway), so BeLLM's backward dependency needs at least the two top layers bidirectional.
 */
public record SweepOutcome(List<CurvePoint> curve, TurningPoint turningPoint, int bidirectionalFrom) {

    /**
     * @param shardCurves each shard's points, shard 1 first; a shard whose scores were all undefined may be empty
     * @param maxDrop     in the unit of the scores (Spearman x100)
     * @throws IllegalStateException if no shard has a defined score, or two shards overlap
     */
    public static SweepOutcome of(List<List<CurvePoint>> shardCurves, double maxDrop) {
        List<CurveShard> shards = new ArrayList<>();
        for (int i = 0; i < shardCurves.size(); i++) {
            if (!shardCurves.get(i).isEmpty()) {
                shards.add(new CurveShard("sweep shard " + (i + 1), shardCurves.get(i)));
            }
        }
        if (shards.isEmpty()) {
            throw new IllegalStateException("the sweep logged no defined Spearman score (constant predictions?)");
        }
        List<CurvePoint> curve;
        try {
            curve = CurveShard.merge(shards);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        TurningPoint tp = new TurningPointRule(maxDrop).find(curve)
                .orElseThrow(() -> new IllegalStateException("the sweep curve has only undefined scores"));
        int t = tp.point().layers();
        int lastN = curve.get(curve.size() - 1).layers();
        return new SweepOutcome(curve, tp, Math.max(0, Math.min(t, lastN - 2)));
    }
}
