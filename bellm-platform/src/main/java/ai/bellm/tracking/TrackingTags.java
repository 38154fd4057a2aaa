package ai.bellm.tracking;

import java.util.Map;

/** Run tag keys: MLflow's own ({@code mlflow.*}) and the platform's ({@code bellm.*}). */
public final class TrackingTags {
    /** Set on child runs; the MLflow UI nests runs by it. */
    public static final String PARENT_RUN_ID = "mlflow.parentRunId";

    /** The Kubernetes Experiment resource the run belongs to. */
    public static final String EXPERIMENT_NAMESPACE = "bellm.experiment.namespace";
    public static final String EXPERIMENT_NAME = "bellm.experiment.name";
    public static final String EXPERIMENT_UID = "bellm.experiment.uid";
    /** Why a run was ended KILLED (e.g. its BeLLMExperiment was deleted while it ran). */
    public static final String KILLED_REASON = "bellm.killed.reason";
    /** What the run does: {@code train}, {@code evaluate}, ... */
    public static final String STEP_KIND = "bellm.step.kind";
    /** Version of the platform code (image tag or git commit) that produced the run. */
    public static final String CODE_VERSION = "bellm.code.version";
    /** Digest of the training/evaluation data, so equal digests mean equal data. */
    public static final String DATA_DIGEST = "bellm.data.digest";

    /** The tags that link a run to its Experiment resource. */
    public static Map<String, String> experimentResource(String namespace, String name, String uid) {
        return Map.of(EXPERIMENT_NAMESPACE, namespace, EXPERIMENT_NAME, name, EXPERIMENT_UID, uid);
    }

    private TrackingTags() {
    }
}
