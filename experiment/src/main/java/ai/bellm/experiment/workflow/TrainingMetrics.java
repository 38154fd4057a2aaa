package ai.bellm.experiment.workflow;

import ai.bellm.api.TrainingProgress;
import ai.bellm.tracking.MetricPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How far a running training is, from its run: the last {@code loss} point's step, the {@code total_steps}
 * parameter, the last {@code tokens_per_s}, and an ETA at the pace of the recent steps.
 */
record TrainingMetrics(long step, Long totalSteps, double loss, Double tokensPerSecond, Duration eta) {
    /** Steps the pace is measured over: recent enough to follow a change of speed, enough to smooth it. */
    private static final int PACE_WINDOW = 20;

    /** Empty before the first step has been logged. */
    static Optional<TrainingMetrics> read(WorkflowTracking tracking, String runId) {
        List<MetricPoint> loss = tracking.history(runId, "loss");
        if (loss.isEmpty()) {
            return Optional.empty();
        }
        MetricPoint last = loss.get(loss.size() - 1);
        Long total = tracking.param(runId, "total_steps").map(Long::valueOf).orElse(null);
        List<MetricPoint> tokens = tracking.history(runId, "tokens_per_s");
        Double tokensPerSecond = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1).value();
        return Optional.of(new TrainingMetrics(last.step(), total, last.value(), tokensPerSecond,
                total == null ? null : eta(loss, total)));
    }

    /** Time left at the pace of the last steps since the latest resume (a resumed run repeats some steps). */
    private static Duration eta(List<MetricPoint> loss, long total) {
        int from = loss.size() - 1;
        while (from > 0 && loss.size() - from < PACE_WINDOW && loss.get(from - 1).step() < loss.get(from).step()) {
            from--;
        }
        MetricPoint first = loss.get(from);
        MetricPoint last = loss.get(loss.size() - 1);
        if (last.step() <= first.step()) {
            return null;
        }
        double millisPerStep = (double) (last.timestamp() - first.timestamp()) / (last.step() - first.step());
        return Duration.ofMillis(Math.round(millisPerStep * Math.max(0, total - last.step())));
    }

    TrainingProgress status() {
        TrainingProgress p = new TrainingProgress();
        p.step = step;
        p.totalSteps = totalSteps;
        p.loss = loss;
        p.tokensPerSecond = tokensPerSecond;
        p.etaSeconds = eta == null ? null : eta.toSeconds();
        return p;
    }

    /** {@code step 120/400 (30%), loss 0.531, ETA 4m10s}: the printer column. */
    String describe() {
        StringBuilder line = new StringBuilder("step " + step);
        if (totalSteps != null && totalSteps > 0) {
            line.append('/').append(totalSteps).append(" (").append(100 * step / totalSteps).append("%)");
        }
        line.append(String.format(Locale.ROOT, ", loss %.3f", loss));
        if (eta != null) {
            line.append(", ETA ").append(eta.toString().substring(2).toLowerCase(Locale.ROOT)
                    .replaceAll("\\.\\d+", ""));
        }
        return line.toString();
    }
}
