package ai.bellm.train;

import java.util.Map;

/** The loss became NaN or infinite: training stops before the update, the last good checkpoint stays. */
final class TrainingDivergedException extends IllegalStateException {

    TrainingDivergedException(long step, Map<String, Double> parts) {
        super("loss is not finite at step " + step + " " + parts + ": stopped before updating the weights; the last"
                + " checkpoint is the last good state (try a lower --lr or --max-grad-norm)");
    }
}
