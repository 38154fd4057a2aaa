package ai.bellm.experiment.workflow;

import ai.bellm.metrics.PairCosines;
import ai.bellm.tracking.ArtifactFile;
import ai.bellm.tracking.MetricPoint;
import ai.bellm.tracking.MlflowApiException;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.ModelRegistry;
import ai.bellm.tracking.ModelVersion;
import ai.bellm.tracking.TrackingTags;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

    /** The sweep worker's result files: snake_case keys. */
    private static final ObjectMapper RESULTS = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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
    public List<PairCosines> sweepPairs(String runId) {
        String results = "runs:/" + runId + "/results";
        List<String> found = mlflow.artifacts().list(results).stream().map(ArtifactFile::path)
                .map(p -> p.substring(p.lastIndexOf('/') + 1))
                .filter(name -> name.startsWith("sweep-") && name.endsWith(".json")).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("sweep run " + runId + " logged " + found.size()
                    + " result files (results/sweep-*.json), expected one");
        }
        Path file = null;
        try {
            file = Files.createTempFile("bellm-sweep-", ".json");
            mlflow.artifacts().downloadFile(results + "/" + found.get(0), file);
            PairCosines[] pairs = RESULTS.treeToValue(RESULTS.readTree(file.toFile()).path("pairs"),
                    PairCosines[].class);
            if (pairs == null || pairs.length == 0) {
                throw new IllegalStateException("sweep run " + runId + ": results/" + found.get(0)
                        + " holds no pair cosines (a sweep without --shard?)");
            }
            return Arrays.asList(pairs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the result of sweep run " + runId, e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
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
