package ai.bellm.experiment.workflow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link ModelEvents} for tests, in place of Kafka: records each announcement as a short line ("promoted reg:2",
 * "not promoted reg", "failed reg: why"); while {@link #down} is set, a promotion fails and the outcomes are lost, as
 * with an unreachable Kafka.
 */
public final class RecordingModelEvents implements ModelEvents {
    public final List<String> announced = new CopyOnWriteArrayList<>();
    public volatile boolean down;

    @Override
    public void promoted(String model, String version, Map<String, Double> metrics, ExperimentRef experiment) {
        if (down) {
            throw new EventsUnavailableException("Kafka is down (test)", null);
        }
        announced.add("promoted " + model + ":" + version);
    }

    @Override
    public void notPromoted(String model, Map<String, Double> metrics, String championVersion, String reason,
                            ExperimentRef experiment) {
        recordUnlessDown("not promoted " + model);
    }

    @Override
    public void failed(String model, String reason, ExperimentRef experiment) {
        recordUnlessDown("failed " + model + ": " + reason);
    }

    private void recordUnlessDown(String line) {
        if (!down) {
            announced.add(line);
        }
    }
}
