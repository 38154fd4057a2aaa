package ai.bellm.experiment.workflow;

import ai.bellm.metrics.PairCosines;
import ai.bellm.tracking.MetricPoint;
import ai.bellm.tracking.ModelVersion;
import ai.bellm.tracking.TrackingTags;
import ai.bellm.tracking.TrackingUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** MLflow in memory: runs with tags and metrics, one registry. {@code down} makes every call fail like an outage. */
final class FakeTracking implements WorkflowTracking {
    final Map<String, Map<String, String>> runTags = new LinkedHashMap<>();
    final Map<String, String> runStatus = new HashMap<>();
    final Map<String, List<PairCosines>> sweepPairs = new HashMap<>();
    final Map<String, Map<String, Double>> metrics = new HashMap<>();
    final Map<String, Map<String, String>> params = new HashMap<>();
    final Map<String, Map<String, List<MetricPoint>>> histories = new HashMap<>();
    final List<String> reopened = new ArrayList<>();
    final List<ModelVersion> versions = new ArrayList<>();
    final Map<String, String> aliases = new HashMap<>();
    boolean down;
    private int nextRun;

    @Override
    public String startParentRun(String experimentName, String runName, Map<String, String> tags) {
        return newRun(tags);
    }

    @Override
    public String startChildRun(String parentRunId, String runName, Map<String, String> tags) {
        Map<String, String> all = new HashMap<>(tags);
        all.put("mlflow.parentRunId", parentRunId);
        return newRun(all);
    }

    private String newRun(Map<String, String> tags) {
        check();
        String id = "run" + (++nextRun);
        runTags.put(id, new HashMap<>(tags));
        runStatus.put(id, "RUNNING");
        return id;
    }

    @Override
    public List<PairCosines> sweepPairs(String runId) {
        check();
        return sweepPairs.getOrDefault(runId, List.of());
    }

    @Override
    public Optional<String> param(String runId, String key) {
        check();
        return Optional.ofNullable(params.getOrDefault(runId, Map.of()).get(key));
    }

    @Override
    public OptionalDouble lastMetric(String runId, String key) {
        check();
        Double v = metrics.getOrDefault(runId, Map.of()).get(key);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    @Override
    public List<MetricPoint> history(String runId, String key) {
        check();
        return histories.getOrDefault(runId, Map.of()).getOrDefault(key, List.of());
    }

    @Override
    public void reopen(String runId) {
        check();
        runStatus.put(runId, "RUNNING");
        reopened.add(runId);
    }

    @Override
    public void setTags(String runId, Map<String, String> tags) {
        check();
        runTags.get(runId).putAll(tags);
    }

    @Override
    public void endRun(String runId, boolean success) {
        check();
        runStatus.put(runId, success ? "FINISHED" : "FAILED");
    }

    @Override
    public void kill(String runId, String reason) {
        check();
        if ("RUNNING".equals(runStatus.get(runId))) {
            runTags.get(runId).put(TrackingTags.KILLED_REASON, reason);
            runStatus.put(runId, "KILLED");
        }
    }

    @Override
    public Optional<ModelVersion> versionByAlias(String model, String alias) {
        check();
        String v = aliases.get(alias);
        return versions.stream().filter(m -> m.version().equals(v)).findFirst();
    }

    @Override
    public ModelVersion registerVersion(String model, String runId, String artifactPath, Map<String, String> tags) {
        check();
        return versions.stream().filter(v -> v.runId().equals(runId)).findFirst().orElseGet(() -> {
            ModelVersion v = new ModelVersion(model, Integer.toString(versions.size() + 1), runId,
                    "runs:/" + runId + "/" + artifactPath, "READY", List.of(), Map.copyOf(tags), "");
            versions.add(v);
            return v;
        });
    }

    @Override
    public boolean moveAlias(String model, String alias, Optional<String> expected, String version,
                             String previousAlias) {
        check();
        if (!Optional.ofNullable(aliases.get(alias)).equals(expected)) {
            return false;
        }
        aliases.put(alias, version);
        expected.filter(old -> !old.equals(version)).ifPresent(old -> aliases.put(previousAlias, old));
        return true;
    }

    private void check() {
        if (down) {
            throw new TrackingUnavailableException("fake", Duration.ZERO, 1, new java.io.IOException("down"));
        }
    }
}
