package ai.bellm.eval;

import ai.bellm.data.Shard;
import ai.bellm.layers.LayerRange;
import ai.bellm.metrics.CurvePoint;
import ai.bellm.metrics.PairCosines;
import ai.bellm.metrics.TurningPoint;
import ai.bellm.metrics.TurningPointRule;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * What {@code bellm sweep} and {@code bellm sweep-merge} write: the degradation curve (Spearman ×100 per number of
 * causal layers n) and its turning point by {@link TurningPointRule} applied to the ×100 scores.
 *
 * @param task                    the task name, or the names joined by {@code ,} when the curve averages several
 * @param range                   {@code [A, B]}: the layer counts of the whole sweep (all shards)
 * @param shard                   {@code i/n} for one data shard's result, absent for a whole or merged sweep
 * @param layers                  this result's points, by increasing n (a shard's over its pairs only)
 * @param turningPoint            the last n within {@code maxDrop} of the peak; absent if every score is undefined
 * @param turningPointProvisional true for one shard of several: only the merged curve gives the real turning point
 * @param dropObserved            whether the curve goes on (and falls) after the turning point
 * @param maxDrop                 the rule's threshold, in Spearman ×100 points
 * @param pairs                   a shard's pairs with their cosines at every n, per task, for sweep-merge
 */
public record SweepResult(String model, String task, Settings settings, List<Integer> range, String shard,
        List<LayerScore> layers, Integer turningPoint, boolean turningPointProvisional, Peak peak,
        boolean dropObserved, double maxDrop, List<PairCosines> pairs) {

    /** The best point of the curve. */
    public record Peak(int n, @JsonInclude(JsonInclude.Include.ALWAYS) Double spearman) {
    }

    /** Default of {@code --max-drop}: {@link TurningPointRule#DEFAULT_MAX_DROP} on the ×100 scale. */
    static final double DEFAULT_MAX_DROP = TurningPointRule.DEFAULT_MAX_DROP * 100;

    /**
     * Completes a result with the turning point of {@code layers}; a shard's (of several) is marked provisional.
     *
     * @param shard null for a whole or merged sweep, which keep no {@code pairs}
     */
    static SweepResult of(String model, String task, Settings settings, LayerRange range, Shard shard,
            List<LayerScore> layers, List<PairCosines> pairs, double maxDrop) {
        Optional<TurningPoint> found = new TurningPointRule(maxDrop).find(curve(layers));
        boolean partial = shard != null && shard.count() > 1;
        return new SweepResult(model, task, settings, range.bounds(), shard == null ? null : shard.toString(), layers,
                found.map(t -> t.point().layers()).orElse(null), partial,
                found.map(t -> new Peak(t.peak().layers(), t.peak().score())).orElse(null),
                found.map(TurningPoint::dropObserved).orElse(false), maxDrop, pairs);
    }

    static List<CurvePoint> curve(List<LayerScore> layers) {
        return layers.stream().map(l -> new CurvePoint(l.n(), Score.orNaN(l.spearman()))).toList();
    }

    LayerRange layerRange() {
        return new LayerRange(range.get(0), range.get(1));
    }
}
