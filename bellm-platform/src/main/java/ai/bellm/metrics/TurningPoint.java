package ai.bellm.metrics;

/**
 * Result of {@link TurningPointRule#find}.
 *
 * @param point        the turning point: the last point whose score is within the allowed drop of the peak
 * @param peak         the best-scoring point of the curve (the first one if several tie)
 * @param dropObserved whether the curve continues after the turning point, i.e. a drop was seen; {@code false}
 *                     means the turning point is the last point of the curve, so for a sweep that covers only
 *                     part of the layers the true turning point may lie further
 */
public record TurningPoint(CurvePoint point, CurvePoint peak, boolean dropObserved) {
}
