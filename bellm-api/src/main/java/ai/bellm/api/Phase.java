package ai.bellm.api;

/**
 * The experiment's state machine: Pending → Sweeping → Training → Evaluating → Promoting → Succeeded, or Failed;
 * Suspended while {@code spec.suspend} holds it.
 */
public enum Phase {
    Pending, Sweeping, Training, Evaluating, Promoting, Succeeded, Failed, Suspended;

    public boolean terminal() {
        return this == Succeeded || this == Failed;
    }

    /** Steps run or are about to: neither finished nor suspended. */
    public boolean progressing() {
        return !terminal() && this != Suspended;
    }
}
