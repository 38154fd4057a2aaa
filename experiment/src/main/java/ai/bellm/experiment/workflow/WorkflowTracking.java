package ai.bellm.experiment.workflow;

import ai.bellm.metrics.PairCosines;
import ai.bellm.tracking.MetricPoint;
import ai.bellm.tracking.ModelVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the workflow needs from MLflow on one tracking server. Implementations throw
 * {@link ai.bellm.tracking.TrackingUnavailableException} when the server does not answer; the workflow then keeps
 * its phase and is retried.
 */
public interface WorkflowTracking {

    /** A top-level run in {@code experimentName} (created if needed); returns its id. */
    String startParentRun(String experimentName, String runName, Map<String, String> tags);

    /** A run nested under {@code parentRunId}; returns its id. */
    String startChildRun(String parentRunId, String runName, Map<String, String> tags);

    /** The pair cosines, per task, that a sweep shard's run logged in its result ({@code results/sweep-*.json}). */
    List<PairCosines> sweepPairs(String runId);

    /** The value of the run's parameter {@code key}, if it logged one. */
    Optional<String> param(String runId, String key);

    /** The last value the run logged for {@code key}. */
    OptionalDouble lastMetric(String runId, String key);

    /** Every point the run logged for {@code key}, in the order logged. */
    List<MetricPoint> history(String runId, String key);

    void setTags(String runId, Map<String, String> tags);

    /** Marks an ended run RUNNING again: a retried or resumed step continues in it. */
    void reopen(String runId);

    void endRun(String runId, boolean success);

    /** Ends the run {@code KILLED}, with {@code reason} in a tag, unless it has ended already. */
    void kill(String runId, String reason);

    /** The version of {@code model} carrying {@code alias}; empty if none (or no such model yet). */
    Optional<ModelVersion> versionByAlias(String model, String alias);

    /** The version of {@code model} registered from {@code runId}'s artifacts, registering it if there is none. */
    ModelVersion registerVersion(String model, String runId, String artifactPath, Map<String, String> tags);

    /**
     * Moves {@code alias} to {@code version}, then {@code previousAlias} to the version it named, only if it still
     * names {@code expected} (empty: no version); returns false, moving nothing, if it names another by now. Atomic
     * among the callers of one process; MLflow has no conditional update, so two processes must not promote one
     * model at once (the operator's leader election).
     */
    boolean moveAlias(String model, String alias, Optional<String> expected, String version, String previousAlias);
}
