package ai.bellm.experiment.workflow;

import ai.bellm.metrics.CurvePoint;
import ai.bellm.metrics.CurveShard;
import ai.bellm.metrics.TurningPoint;
import ai.bellm.metrics.TurningPointRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The merged curve of the sweep shards and its turning point t, which the training step turns into the first
 * bidirectional layer ({@link ai.bellm.recipe.BidirectionalLayers}, with the model's layer count).
 */
public record SweepOutcome(List<CurvePoint> curve, TurningPoint turningPoint) {

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
        return new SweepOutcome(curve, tp);
    }
}
