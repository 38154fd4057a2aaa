package ai.bellm.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Entry point of experiment tracking: experiments by name, runs, read-back, artifacts and the model registry,
 * all against one MLflow tracking server.
 */
public final class MlflowTracking implements AutoCloseable {

    /** The environment variable that hands a worker the run it logs into. */
    public static final String RUN_ID_ENV = "MLFLOW_RUN_ID";
    private final TrackingConfig config;
    private final MlflowRest rest;
    private final ArtifactStore artifacts;
    private final ModelRegistry registry;
    private final Map<String, String> experimentIds = new ConcurrentHashMap<>();
    // one daemon thread sends the buffered metrics of every run, so training threads never wait for MLflow
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mlflow-metric-flusher");
        t.setDaemon(true);
        return t;
    });

    public MlflowTracking(TrackingConfig config) {
        this.config = config;
        this.rest = new MlflowRest(config);
        this.artifacts = new ArtifactStore(rest);
        this.registry = new ModelRegistry(rest, artifacts);
    }

    /** Connects to {@code MLFLOW_TRACKING_URI} with default retry settings. */
    public static MlflowTracking fromEnv() {
        return new MlflowTracking(TrackingConfig.fromEnv());
    }

    public TrackingConfig config() {
        return config;
    }

    public ArtifactStore artifacts() {
        return artifacts;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** The id of the experiment with this name, created on first use. */
    public String experimentId(String name) {
        return experimentIds.computeIfAbsent(name, this::findOrCreateExperiment);
    }

    private String findOrCreateExperiment(String name) {
        try {
            return activeExperimentId(name);
        } catch (MlflowApiException e) {
            if (!MlflowApiException.RESOURCE_DOES_NOT_EXIST.equals(e.errorCode())) {
                throw e;
            }
        }
        try {
            return rest.post("experiments/create", rest.object().put("name", name)).path("experiment_id").asText();
        } catch (MlflowApiException e) {
            // another process created it between our lookup and our create
            if (MlflowApiException.RESOURCE_ALREADY_EXISTS.equals(e.errorCode())) {
                return activeExperimentId(name);
            }
            throw e;
        }
    }

    private String activeExperimentId(String name) {
        JsonNode experiment = rest.get("experiments/get-by-name", Map.of("experiment_name", name)).path("experiment");
        if (!"active".equals(experiment.path("lifecycle_stage").asText())) {
            throw new TrackingException("experiment '" + name + "' is deleted: restore it or use another name");
        }
        return experiment.path("experiment_id").asText();
    }

    /** Starts a top-level run in the named experiment (created if needed), with the given tags. */
    public TrackedRun startRun(String experimentName, String runName, Map<String, String> tags) {
        return startRun(experimentId(experimentName), runName, tags, null);
    }

    TrackedRun startRun(String experimentId, String runName, Map<String, String> tags, String parentRunId) {
        JsonNode info = postRun(experimentId, runName, tags, parentRunId);
        return new TrackedRun(this, rest, info.path("run_id").asText(), experimentId, info.path("artifact_uri").asText(),
                flusher, config.metricFlushInterval());
    }

    /**
     * Creates a run that someone else logs into and ends (e.g. a worker pod given its id), without a local handle
     * that would keep a background flush scheduled; returns its id.
     *
     * @param parentRunId the run to nest it under, or null
     */
    public String createRun(String experimentId, String runName, Map<String, String> tags, String parentRunId) {
        return postRun(experimentId, runName, tags, parentRunId).path("run_id").asText();
    }

    /** Ends a run by id: FINISHED, FAILED or KILLED. */
    public void endRun(String runId, String status) {
        rest.post("runs/update", rest.object().put("run_id", runId).put("status", status)
                .put("end_time", System.currentTimeMillis()));
    }

    /** Marks an ended run RUNNING again (its end time stays until it ends once more). */
    public void reopenRun(String runId) {
        rest.post("runs/update", rest.object().put("run_id", runId).put("status", "RUNNING"));
    }

    /** Sets tags on a run by id (tags, unlike params, may be overwritten). */
    public void setTags(String runId, Map<String, String> tags) {
        ObjectNode body = rest.object().put("run_id", runId);
        body.set("tags", rest.keyValues(tags.entrySet()));
        rest.post("runs/log-batch", body);
    }

    private JsonNode postRun(String experimentId, String runName, Map<String, String> tags, String parentRunId) {
        Map<String, String> allTags = new LinkedHashMap<>(tags);
        if (parentRunId != null) {
            allTags.put(TrackingTags.PARENT_RUN_ID, parentRunId);
        }
        ObjectNode body = rest.object()
                .put("experiment_id", experimentId)
                .put("run_name", runName)
                .put("start_time", System.currentTimeMillis());
        body.set("tags", rest.keyValues(allTags.entrySet()));
        // not idempotent: a create whose answer got lost and is retried leaves an empty extra run behind
        return rest.post("runs/create", body).path("run").path("info");
    }

    /**
     * A handle on an existing run, e.g. the step run an operator created and handed to a worker pod as
     * {@value #RUN_ID_ENV}: the worker logs into it and ends it.
     */
    public TrackedRun run(String runId) {
        RunData data = getRun(runId);
        return new TrackedRun(this, rest, runId, data.experimentId(), data.artifactUri(), flusher,
                config.metricFlushInterval());
    }

    /** The run named by {@value #RUN_ID_ENV} on the server of {@code MLFLOW_TRACKING_URI}, when both are set. */
    public static Optional<TrackedRun> runFromEnv() {
        String runId = System.getenv(RUN_ID_ENV);
        String uri = System.getenv(TrackingConfig.TRACKING_URI_ENV);
        if (runId == null || runId.isBlank() || uri == null || uri.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(fromEnv().run(runId));
    }

    public RunData getRun(String runId) {
        JsonNode run = rest.get("runs/get", Map.of("run_id", runId)).path("run");
        JsonNode info = run.path("info");
        return new RunData(info.path("run_id").asText(), info.path("experiment_id").asText(),
                info.path("run_name").asText(), info.path("status").asText(), info.path("artifact_uri").asText(),
                toMap(run.path("data").path("params")), toMap(run.path("data").path("tags")));
    }

    /** Every point of one metric of a run, as the server returns them (all pages). */
    public List<MetricPoint> metricHistory(String runId, String key) {
        List<MetricPoint> points = new ArrayList<>();
        String pageToken = "";
        do {
            Map<String, String> query = new HashMap<>(Map.of("run_id", runId, "metric_key", key, "max_results", "25000"));
            if (!pageToken.isEmpty()) {
                query.put("page_token", pageToken);
            }
            JsonNode page = rest.get("metrics/get-history", query);
            for (JsonNode m : page.path("metrics")) {
                points.add(new MetricPoint(m.path("key").asText(), m.path("value").asDouble(), m.path("step").asLong(),
                        m.path("timestamp").asLong()));
            }
            pageToken = page.path("next_page_token").asText("");
        } while (!pageToken.isEmpty());
        return points;
    }

    /** Stops the background metric flusher; finish runs first, or their unsent metrics stay unsent. */
    @Override
    public void close() {
        flusher.shutdownNow();
    }

    static Map<String, String> toMap(JsonNode keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        keyValues.forEach(kv -> map.put(kv.path("key").asText(), kv.path("value").asText()));
        return map;
    }
}
