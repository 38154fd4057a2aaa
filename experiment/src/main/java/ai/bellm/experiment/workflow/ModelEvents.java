package ai.bellm.experiment.workflow;

import java.util.Map;

/**
 * Tells the serving side and other listeners how an experiment ended (Kafka in the operator). A promotion is
 * delivered at least once (it throws {@link EventsUnavailableException} and the promotion is retried, so the same
 * version may be announced again). The other two are best effort: they never throw, so that an unreachable Kafka never
 * keeps an experiment from showing that it failed or was not promoted; one that cannot be sent is logged and lost.
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
