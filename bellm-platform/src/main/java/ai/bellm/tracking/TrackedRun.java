package ai.bellm.tracking;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running MLflow run. Params and tags are sent at once; metrics are buffered and sent in order, in batches, by a
 * background flusher and by {@link #flush()}/{@link #finish()}. A point leaves the buffer only after the server
 * accepted it, so an outage loses nothing. Resending a batch whose answer was lost does not duplicate points:
 * timestamps are fixed when a point is logged, and MLflow's SQL store ignores a point equal in key, value,
 * timestamp and step to a stored one (its primary key).
 */
public final class TrackedRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrackedRun.class);
    // MLflow's log-batch limits
    private static final int MAX_METRICS_PER_BATCH = 1000;
    private static final int MAX_PARAMS_PER_BATCH = 100;
    private static final int MAX_TAGS_PER_BATCH = 100;

    private final MlflowTracking tracking;
    private final MlflowRest rest;
    private final String runId;
    private final String experimentId;
    private final String artifactUri;
    private final ArrayDeque<MetricPoint> pending = new ArrayDeque<>(); // guarded by itself
    private final Object flushLock = new Object(); // one flush at a time keeps the points in order
    private final ScheduledFuture<?> backgroundFlush;
    private boolean closing; // guarded by pending: set while the final flush runs, no points accepted then
    private volatile boolean terminated;

    TrackedRun(MlflowTracking tracking, MlflowRest rest, String runId, String experimentId, String artifactUri,
               ScheduledExecutorService flusher, Duration flushInterval) {
        this.tracking = tracking;
        this.rest = rest;
        this.runId = runId;
        this.experimentId = experimentId;
        this.artifactUri = artifactUri;
        long interval = flushInterval.toMillis();
        this.backgroundFlush = flusher.scheduleWithFixedDelay(this::flushInBackground, interval, interval,
                TimeUnit.MILLISECONDS);
    }

    public String runId() {
        return runId;
    }

    public String experimentId() {
        return experimentId;
    }

    /** {@code mlflow-artifacts:/<experimentId>/<runId>/artifacts}. */
    public String artifactUri() {
        return artifactUri;
    }

    /** Starts a run nested under this one (same experiment, {@code mlflow.parentRunId} tag). */
    public TrackedRun startChild(String runName, Map<String, String> tags) {
        return tracking.startRun(experimentId, runName, tags, runId);
    }

    public void logParam(String key, String value) {
        logParams(Map.of(key, value));
    }

    /** Params are write-once: logging a key again with another value fails with INVALID_PARAMETER_VALUE. */
    public void logParams(Map<String, String> params) {
        for (List<Map.Entry<String, String>> chunk : chunks(List.copyOf(params.entrySet()), MAX_PARAMS_PER_BATCH)) {
            logBatch("params", rest.keyValues(chunk));
        }
    }

    public void setTag(String key, String value) {
        setTags(Map.of(key, value));
    }

    public void setTags(Map<String, String> tags) {
        for (List<Map.Entry<String, String>> chunk : chunks(List.copyOf(tags.entrySet()), MAX_TAGS_PER_BATCH)) {
            logBatch("tags", rest.keyValues(chunk));
        }
    }

    /** Buffers a point stamped with the current time; never blocks on the server. */
    public void logMetric(String key, double value, long step) {
        logMetric(new MetricPoint(key, value, step, System.currentTimeMillis()));
    }

    public void logMetric(MetricPoint point) {
        synchronized (pending) {
            if (closing) {
                throw new IllegalStateException("run " + runId + " has ended");
            }
            pending.addLast(point);
        }
    }

    /** Number of metric points not yet accepted by the server. */
    public int pendingMetrics() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /**
     * Sends every buffered point, oldest first, in batches.
     *
     * @throws TrackingUnavailableException if the server stays down past the deadline; the points stay buffered
     */
    public void flush() {
        synchronized (flushLock) {
            while (true) {
                List<MetricPoint> batch = new ArrayList<>();
                synchronized (pending) {
                    for (MetricPoint p : pending) {
                        if (batch.size() == MAX_METRICS_PER_BATCH) {
                            break;
                        }
                        batch.add(p);
                    }
                }
                if (batch.isEmpty()) {
                    return;
                }
                ArrayNode metrics = rest.object().arrayNode();
                batch.forEach(p -> metrics.addObject().put("key", p.key()).put("value", p.value())
                        .put("timestamp", p.timestamp()).put("step", p.step()));
                logBatch("metrics", metrics);
                synchronized (pending) { // only flush removes, and flushes are serialized: the head is our batch
                    batch.forEach(p -> pending.removeFirst());
                }
            }
        }
    }

    private void flushInBackground() {
        try {
            flush();
        } catch (RuntimeException e) {
            // keep the points and the schedule: the next tick tries again, finish() reports a lasting failure
            LOG.warn("run {}: {} metric points not sent yet: {}", runId, pendingMetrics(), e.toString());
        }
    }

    /** Uploads one file to {@code <run artifacts>/<artifactPath>}. */
    public void uploadArtifact(Path file, String artifactPath) {
        tracking.artifacts().uploadFile(file, artifactUri + "/" + artifactPath);
    }

    /** Uploads a directory tree (e.g. a model package) to {@code <run artifacts>/<artifactPath>/...}. */
    public void uploadArtifacts(Path dir, String artifactPath) {
        tracking.artifacts().uploadDirectory(dir, artifactUri + "/" + artifactPath);
    }

    /** One level of {@code <run artifacts>/<artifactPath>}; empty if nothing is there. */
    public List<ArtifactFile> listArtifacts(String artifactPath) {
        return tracking.artifacts().list(artifactUri + "/" + artifactPath);
    }

    public void downloadArtifact(String artifactPath, Path target) {
        tracking.artifacts().downloadFile(artifactUri + "/" + artifactPath, target);
    }

    /** Mirrors {@code <run artifacts>/<artifactPath>/...} into {@code dir}; returns the number of files. */
    public int downloadArtifacts(String artifactPath, Path dir) {
        return tracking.artifacts().downloadDirectory(artifactUri + "/" + artifactPath, dir);
    }

    /** Deletes the file or directory tree {@code <run artifacts>/<artifactPath>}. */
    public void deleteArtifacts(String artifactPath) {
        tracking.artifacts().delete(artifactUri + "/" + artifactPath);
    }

    /** Flushes the metrics and marks the run FINISHED. */
    public void finish() {
        end("FINISHED");
    }

    /** Flushes the metrics and marks the run FAILED. */
    public void fail() {
        end("FAILED");
    }

    /** Finishes the run unless it has ended already. */
    @Override
    public void close() {
        if (!terminated) {
            finish();
        }
    }

    /** If the server is down, throws and leaves the run open with its points buffered, so it can be ended later. */
    private synchronized void end(String status) {
        if (terminated) {
            return;
        }
        setClosing(true);
        try {
            flush(); // the server rejects metrics for a terminated run
            rest.post("runs/update", rest.object().put("run_id", runId).put("status", status)
                    .put("end_time", System.currentTimeMillis()));
        } catch (RuntimeException e) {
            setClosing(false);
            throw e;
        }
        terminated = true;
        backgroundFlush.cancel(false);
    }

    private void setClosing(boolean value) {
        synchronized (pending) {
            closing = value;
        }
    }

    private void logBatch(String field, ArrayNode entries) {
        ObjectNode body = rest.object().put("run_id", runId);
        body.set(field, entries);
        rest.post("runs/log-batch", body);
    }

    private static <T> List<List<T>> chunks(List<T> list, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < list.size(); i += size) {
            chunks.add(list.subList(i, Math.min(list.size(), i + size)));
        }
        return chunks;
    }
}
