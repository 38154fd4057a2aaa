package ai.bellm.operator.bench;

import ai.bellm.data.Shard;
import ai.bellm.layers.LayerRange;
import ai.bellm.metrics.PairCosines;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.TrackedRun;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Completes each Job at once, after logging into its MLflow run what the worker would: a sweep shard's pair cosines
 * (perfect up to 3 layers, reversed above), the evaluation's {@code average_spearman}; then ends the run. Jobs are
 * found by polling the namespace, so a missed watch event or a failed attempt is simply picked up again.
 */
final class InstantJobRunner implements AutoCloseable {
    private final KubernetesClient client;
    private final MlflowTracking mlflow;
    private final String namespace;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    InstantJobRunner(KubernetesClient client, String namespace, MlflowTracking mlflow) {
        this.client = client;
        this.namespace = namespace;
        this.mlflow = mlflow;
        poller.scheduleWithFixedDelay(this::poll, 0, 300, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            for (Job job : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
                boolean done = job.getStatus() != null && job.getStatus().getSucceeded() != null;
                if (!done && inFlight.add(job.getMetadata().getName())) {
                    pool.submit(() -> {
                        try {
                            complete(job);
                        } catch (RuntimeException e) {
                            System.err.println("instant job runner: " + job.getMetadata().getName() + ": " + e);
                            inFlight.remove(job.getMetadata().getName());
                        }
                    });
                }
            }
        } catch (RuntimeException e) {
            System.err.println("instant job runner: " + e);
        }
    }

    private void complete(Job job) {
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<String> args = c.getArgs();
        String runId = c.getEnv().stream().filter(e -> MlflowTracking.RUN_ID_ENV.equals(e.getName())).findFirst()
                .orElseThrow().getValue();
        TrackedRun run = mlflow.run(runId);
        switch (args.get(0)) {
            case "sweep" -> logSweepShard(run, Shard.parse(value(args, "--shard")),
                    LayerRange.parseCounts(value(args, "--layers"), "--layers"));
            case "evaluate" -> run.logMetric("average_spearman", 70, 0);
            default -> { }
        }
        run.finish();
        String now = Instant.now().toString();
        job.setStatus(new JobStatusBuilder().withStartTime(now).withCompletionTime(now).withSucceeded(1)
                .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True")
                        .withLastProbeTime(now).withLastTransitionTime(now).build())
                .build());
        client.batch().v1().jobs().resource(job).updateStatus();
    }

    /** Two pairs per shard; their cosines rank them as the gold scores do up to n = 3, the other way round above. */
    private static void logSweepShard(TrackedRun run, Shard shard, LayerRange layers) {
        int from = 2 * (shard.index() - 1);
        double[] gold = {from, from + 1};
        double[] reversed = {-from, -from - 1};
        double[][] cosines = new double[layers.size()][];
        Arrays.setAll(cosines, k -> layers.first() + k <= 3 ? gold : reversed);
        PairCosines pairs = new PairCosines("dev", from, 2 * shard.count(), layers.first(), gold, cosines);
        try {
            Path file = Files.createTempFile("sweep-", ".json");
            new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .writeValue(file.toFile(), Map.of("pairs", List.of(pairs)));
            run.uploadArtifact(file, "results/sweep-" + shard.index() + ".json");
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String value(List<String> args, String option) {
        return args.get(args.indexOf(option) + 1);
    }

    @Override
    public void close() {
        poller.shutdownNow();
        pool.shutdownNow();
    }
}
