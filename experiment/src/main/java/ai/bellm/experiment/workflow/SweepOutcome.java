package ai.bellm.experiment.workflow;

import ai.bellm.metrics.CurvePoint;
import ai.bellm.metrics.PairCosines;
import ai.bellm.metrics.TurningPoint;
import ai.bellm.metrics.TurningPointRule;
import java.util.List;

/**
 * The curve of the sweep over the pairs of all its data shards and its turning point t, which the training step
 * turns into the first bidirectional layer ({@link ai.bellm.recipe.BidirectionalLayers}, with the model's layer
 * count).
 */
public record SweepOutcome(List<CurvePoint> curve, TurningPoint turningPoint) {

    /**
     * @param shards  each shard's pair cosines, per task
     * @param maxDrop in the unit of the scores (Spearman x100)
     * @throws IllegalStateException if the shards do not fit together or the curve has no defined score
     */
    public static SweepOutcome of(List<List<PairCosines>> shards, double maxDrop) {
        List<CurvePoint> curve;
        try {
            curve = PairCosines.curve(PairCosines.join(shards.stream().flatMap(List::stream).toList()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        TurningPoint tp = new TurningPointRule(maxDrop).find(curve).orElseThrow(() -> new IllegalStateException(
                "the sweep logged no defined Spearman score (constant predictions?)"));
        return new SweepOutcome(curve, tp);
    }
}
