package ai.bellm.operator.k8s;

import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.api.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The status conditions, derived from the phase: {@code Ready} (succeeded), {@code Progressing} (neither finished nor
 * suspended) and
 * {@code Failed}. A transient problem (MLflow or Kafka unreachable) shows as {@code Ready=False} with its reason
 * while the phase stays where it is. A condition's transition time changes only when its status does.
 */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String FAILED = "Failed";

    private Conditions() {
    }

    /** Sets the conditions for the status's phase; {@code problemReason} non-null reports a transient problem. */
    public static void update(BeLLMExperimentStatus status, long generation, String problemReason, String problem) {
        Phase phase = status.phase;
        String message = status.message;
        List<Condition> next = new ArrayList<>();
        if (problemReason != null) {
            next.add(condition(READY, false, problemReason, problem, generation));
        } else {
            next.add(condition(READY, phase == Phase.Succeeded, phase.name(), message, generation));
        }
        next.add(condition(PROGRESSING, phase.progressing(), phase.name(), message, generation));
        next.add(condition(FAILED, phase == Phase.Failed, phase == Phase.Failed ? "Failed" : phase.name(),
                phase == Phase.Failed ? message : null, generation));
        for (Condition c : next) {
            status.conditions.stream().filter(old -> old.getType().equals(c.getType())).findFirst()
                    .filter(old -> old.getStatus().equals(c.getStatus()))
                    .ifPresent(old -> c.setLastTransitionTime(old.getLastTransitionTime()));
        }
        status.conditions = next;
    }

    /** An empty message is left out: the test API server build reads "" in a custom resource as null and rejects it. */
    private static Condition condition(String type, boolean value, String reason, String message, long generation) {
        return new ConditionBuilder().withType(type).withStatus(value ? "True" : "False").withReason(reason)
                .withMessage(message == null || message.isEmpty() ? null : message).withObservedGeneration(generation)
                .withLastTransitionTime(Instant.now().toString()).build();
    }
}
