package ai.bellm.api;

/** The experiment's state machine: Pending → Sweeping → Training → Evaluating → Promoting → Succeeded, or Failed. */
public enum Phase {
    Pending, Sweeping, Training, Evaluating, Promoting, Succeeded, Failed;

    public boolean terminal() {
        return this == Succeeded || this == Failed;
    }
}
