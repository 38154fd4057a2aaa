package ai.bellm.experiment.workflow;

import ai.bellm.metrics.CurvePoint;
import ai.bellm.tracking.MetricPoint;
import ai.bellm.tracking.MlflowApiException;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.ModelRegistry;
import ai.bellm.tracking.ModelVersion;
import ai.bellm.tracking.TrackingTags;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** {@link WorkflowTracking} on the platform's MLflow client. */
public final class MlflowWorkflowTracking implements WorkflowTracking {
    /** MLflow refuses longer tag values. */
    private static final int MAX_TAG = 5000;
    /** One per tracking server and model: the clients of one process move a model's aliases one at a time. */
    private static final ConcurrentMap<String, Object> ALIAS_LOCKS = new ConcurrentHashMap<>();

    private final MlflowTracking mlflow;

    public MlflowWorkflowTracking(MlflowTracking mlflow) {
        this.mlflow = mlflow;
    }

    @Override
    public String startParentRun(String experimentName, String runName, Map<String, String> tags) {
        return mlflow.createRun(mlflow.experimentId(experimentName), runName, tags, null);
    }

    @Override
    public String startChildRun(String parentRunId, String runName, Map<String, String> tags) {
        return mlflow.createRun(mlflow.getRun(parentRunId).experimentId(), runName, tags, parentRunId);
    }

    @Override
    public List<CurvePoint> sweepCurve(String runId) {
        // a retried log batch may repeat a point: keep one per number of layers
        Map<Long, Double> byLayers = new TreeMap<>();
        mlflow.metricHistory(runId, "spearman").stream()
                .sorted(Comparator.comparingLong(MetricPoint::timestamp))
                .forEach(p -> byLayers.put(p.step(), p.value()));
        return byLayers.entrySet().stream().map(e -> new CurvePoint(e.getKey().intValue(), e.getValue())).toList();
    }

    @Override
    public Optional<String> param(String runId, String key) {
        return Optional.ofNullable(mlflow.getRun(runId).params().get(key));
    }

    @Override
    public OptionalDouble lastMetric(String runId, String key) {
        return mlflow.metricHistory(runId, key).stream()
                .max(Comparator.comparingLong(MetricPoint::timestamp).thenComparingLong(MetricPoint::step))
                .map(p -> OptionalDouble.of(p.value())).orElse(OptionalDouble.empty());
    }

    @Override
    public List<MetricPoint> history(String runId, String key) {
        return mlflow.metricHistory(runId, key).stream()
                .sorted(Comparator.comparingLong(MetricPoint::timestamp).thenComparingLong(MetricPoint::step)).toList();
    }

    @Override
    public void setTags(String runId, Map<String, String> tags) {
        Map<String, String> bounded = new TreeMap<>();
        tags.forEach((k, v) -> bounded.put(k, v.length() > MAX_TAG ? v.substring(0, MAX_TAG - 3) + "..." : v));
        mlflow.setTags(runId, bounded);
    }

    @Override
    public void endRun(String runId, boolean success) {
        mlflow.endRun(runId, success ? "FINISHED" : "FAILED");
    }

    @Override
    public void reopen(String runId) {
        mlflow.reopenRun(runId);
    }

    @Override
    public void kill(String runId, String reason) {
        if ("RUNNING".equals(mlflow.getRun(runId).status())) {
            mlflow.setTags(runId, Map.of(TrackingTags.KILLED_REASON, reason));
            mlflow.endRun(runId, "KILLED");
        }
    }

    @Override
    public Optional<ModelVersion> versionByAlias(String model, String alias) {
        try {
            return mlflow.registry().findByAlias(model, alias);
        } catch (MlflowApiException e) {
            if (MlflowApiException.RESOURCE_DOES_NOT_EXIST.equals(e.errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public ModelVersion registerVersion(String model, String runId, String artifactPath, Map<String, String> tags) {
        ModelRegistry registry = mlflow.registry();
        registry.ensureModel(model);
        List<ModelVersion> existing = registry.versionsOfRun(model, runId);
        if (!existing.isEmpty()) {
            return existing.get(0);
        }
        return registry.createVersion(model, runId, artifactPath, tags);
    }

    @Override
    public boolean moveAlias(String model, String alias, Optional<String> expected, String version,
                             String previousAlias) {
        synchronized (ALIAS_LOCKS.computeIfAbsent(mlflow.config().trackingUri() + " " + model, key -> new Object())) {
            if (!versionByAlias(model, alias).map(ModelVersion::version).equals(expected)) {
                return false;
            }
            ModelRegistry registry = mlflow.registry();
            registry.setAlias(model, alias, version);
            expected.filter(old -> !old.equals(version)).ifPresent(old -> registry.setAlias(model, previousAlias, old));
            return true;
        }
    }
}
