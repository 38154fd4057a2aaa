package ai.bellm.experiment.workflow;

/**
 * One step of an experiment: the sweep's shard {@code shard} of {@code shards} (1-based), or the training or the
 * evaluation ({@code shard} 0). Its name is stable, so a runner can find a step it launched before a restart.
 */
public record StepId(StepKind kind, int shard, int shards) {

    public static StepId sweep(int shard, int shards) {
        return new StepId(StepKind.SWEEP, shard, shards);
    }

    public static StepId of(StepKind kind) {
        return new StepId(kind, 0, 0);
    }

    /** {@code sweep-2}, {@code train}, {@code evaluate}. */
    public String name() {
        return kind == StepKind.SWEEP ? kind.id() + "-" + shard : kind.id();
    }

    @Override
    public String toString() {
        return kind == StepKind.SWEEP ? "sweep shard " + shard + "/" + shards : kind.id();
    }
}
