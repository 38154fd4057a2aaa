package ai.bellm.experiment.workflow;

import java.util.Map;

/** Tells the serving side that a model version became champion (Kafka in the operator). */
public interface ModelEvents {

    /** Delivered at least once: a retried promotion may publish the same version again. */
    void promoted(String model, String version, Map<String, Double> metrics, ExperimentRef experiment);
}
