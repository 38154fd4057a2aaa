package ai.bellm.experiment.workflow;

import java.util.Map;

/**
 * Tells the serving side and other listeners how an experiment ended (Kafka in the operator). Each is delivered at
 * least once: a retried reconcile may publish the same outcome again.
 */
public interface ModelEvents {

    /** A model version became champion. */
    void promoted(String model, String version, Map<String, Double> metrics, ExperimentRef experiment);

    /** The trained model was evaluated and kept out: the champion ({@code championVersion}, if any) stays. */
    void notPromoted(String model, Map<String, Double> metrics, String championVersion, String reason,
                     ExperimentRef experiment);

    /** The experiment failed; {@code reason} says at which step and why. */
    void failed(String model, String reason, ExperimentRef experiment);
}
