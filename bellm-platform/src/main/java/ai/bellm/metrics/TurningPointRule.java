package ai.bellm.metrics;

import java.util.List;
import java.util.Optional;

/**
 * Finds the turning point of a degradation curve (score per number of causal layers n): the last n before
 * performance drops sharply (Li &amp; Li, BeLLM, NAACL 2024).
 *
 * <p><b>Rule.</b> Let {@code peak} be the highest score of the curve. The turning point is the point with the
 * largest n whose score is at least {@code peak - maxDrop}. Equivalently, comparing each point with the best
 * score so far gives the same answer, since every point after the peak has the peak as best score so far.
 * {@code NaN} scores (constant predictions) never qualify and are ignored when finding the peak.
 *
 * <ul>
 *   <li>Noise smaller than {@code maxDrop} on the plateau does not move the turning point.</li>
 *   <li>A curve that rises then falls gets the last n on the falling side still within {@code maxDrop} of the peak;
 *       a slow decline is thus cut where it has lost {@code maxDrop} in total.</li>
 *   <li>A dip deeper than {@code maxDrop} that later recovers to within {@code maxDrop} of the peak is not a drop:
 *       only a loss that lasts until the end of the curve counts.</li>
 *   <li>A curve with no such drop (e.g. monotone increasing) has its last n as turning point, with
 *       {@link TurningPoint#dropObserved()} {@code false}.</li>
 *   <li>Limitation: a single outlier above the plateau by more than {@code maxDrop} becomes the peak and pulls
 *       the turning point back to it; raise {@code maxDrop} for noisier curves.</li>
 * </ul>
 *
 * <p><b>Default.</b> {@code maxDrop} is absolute, in the unit of the scores: {@value #DEFAULT_MAX_DROP} for raw
 * Spearman correlations, i.e. 3 points on the ×100 scale papers use. That is well above the run-to-run noise of
 * an STS Spearman (a fraction of a point) and well below the collapse a sharp drop produces (tens of points).
 * An absolute threshold is used rather than a fraction of the peak so that its meaning does not depend on how
 * good the model is: 5% of a weak model's 0.30 would be 1.5 points, close to noise.
 *
 * @param maxDrop largest loss from the peak still counted as "no drop"; finite and {@code >= 0}
 */
public record TurningPointRule(double maxDrop) {

    public static final double DEFAULT_MAX_DROP = 0.03;

    public TurningPointRule {
        if (!(maxDrop >= 0) || Double.isInfinite(maxDrop)) {
            throw new IllegalArgumentException("maxDrop must be finite and >= 0, got " + maxDrop);
        }
    }

    public static TurningPointRule defaults() {
        return new TurningPointRule(DEFAULT_MAX_DROP);
    }

    /**
     * @param curve points sorted by layers without duplicates; may cover only part of the layers, with gaps
     * @return the turning point, or empty if every score is {@code NaN}
     */
    public Optional<TurningPoint> find(List<CurvePoint> curve) {
        if (curve.isEmpty()) {
            throw new IllegalArgumentException("empty curve");
        }
        CurvePoint.requireStrictlyIncreasing(curve, "curve");
        CurvePoint peak = null;
        for (CurvePoint p : curve) {
            if (!Double.isNaN(p.score()) && (peak == null || p.score() > peak.score())) {
                peak = p;
            }
        }
        if (peak == null) {
            return Optional.empty();
        }
        for (int i = curve.size() - 1; ; i--) {
            CurvePoint p = curve.get(i);
            // NaN >= x is false, so a NaN point never qualifies; the peak itself always does.
            if (p.score() >= peak.score() - maxDrop) {
                return Optional.of(new TurningPoint(p, peak, i < curve.size() - 1));
            }
        }
    }
}
