package ai.bellm.train;

/**
 * Linear warmup to {@code peak}, then linear or cosine decay to {@code floor} at {@code totalSteps}, by optimizer
 * step. {@link #at(long)} takes the number of updates already applied, so the first update (0) already gets
 * {@code peak / warmupSteps} rather than 0:
 * <pre>
 *   s &lt; W:       peak · (s + 1) / W
 *   W ≤ s &lt; T:   floor + (peak − floor) · f((s − W) / (T − W)),  f(x) = 1 − x (linear) or (1 + cos πx) / 2 (cosine)
 *   s ≥ T:       floor
 * </pre>
 */
public record LearningRateSchedule(double peak, long warmupSteps, long totalSteps, Decay decay, double floor) {

    public enum Decay { LINEAR, COSINE }

    public LearningRateSchedule {
        if (!(peak > 0) || Double.isInfinite(peak) || !(floor >= 0 && floor <= peak)) {
            throw new IllegalArgumentException("need 0 <= floor <= peak and a finite peak > 0, got peak " + peak
                    + ", floor " + floor);
        }
        if (warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("need 0 <= warmupSteps < totalSteps, got " + warmupSteps + " and "
                    + totalSteps);
        }
    }

    /** Decay to 0. */
    public static LearningRateSchedule of(double peak, long warmupSteps, long totalSteps, Decay decay) {
        return new LearningRateSchedule(peak, warmupSteps, totalSteps, decay, 0);
    }

    /** The learning rate of the update that follows {@code step} applied updates. */
    public double at(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps) {
            return floor;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        double factor = decay == Decay.LINEAR ? 1 - progress : (1 + Math.cos(Math.PI * progress)) / 2;
        return floor + (peak - floor) * factor;
    }
}
