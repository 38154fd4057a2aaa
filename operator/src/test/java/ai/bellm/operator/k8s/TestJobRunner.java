package ai.bellm.operator.k8s;

import ai.bellm.testing.WorkerJar;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Plays the kubelet and the Job controller for one namespace (nothing runs pods next to this API server): for each
 * Job it creates a Pod object, runs the container's {@code bellm} command with the real worker entry point in a child
 * JVM (its args, its env, a working directory of its own), writes the pod's terminated state (the log tail as
 * termination message, like {@code FallbackToLogsOnError}) and the Job's status; a failed pod is retried until
 * {@code backoffLimit}. {@link #hold()} keeps new Jobs waiting until {@link #release()}.
 */
public final class TestJobRunner implements AutoCloseable {
    private static final int TAIL = 2000;
    private final KubernetesClient client;
    private final String namespace;
    private final Path workDir;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Watch watch;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    public TestJobRunner(KubernetesClient client, String namespace, Path workDir) {
        this.client = client;
        this.namespace = namespace;
        this.workDir = workDir;
        this.watch = client.batch().v1().jobs().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.ADDED && seen.add(job.getMetadata().getName())) {
                    pool.submit(() -> run(job));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    public void hold() {
        gate = new CountDownLatch(1);
    }

    public void release() {
        gate.countDown();
    }

    /** Number of Jobs this runner has seen (each name once). */
    public int jobsSeen() {
        return seen.size();
    }

    private void run(Job job) {
        try {
            gate.await();
            if (current(job) == null) {
                return; // deleted while held (a spec change replaced it)
            }
            int attempts = job.getSpec().getBackoffLimit() + 1;
            JobStatus status = new JobStatus();
            status.setStartTime(Instant.now().toString());
            status.setActive(1);
            patchJob(job, status);
            for (int attempt = 0; attempt < attempts; attempt++) {
                Pod pod = createPod(job, attempt);
                Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
                Path dir = Files.createDirectories(workDir.resolve(pod.getMetadata().getName()));
                Path log = dir.resolve("pod.log");
                int exit = execute(c, dir, log);
                String tail = tail(log);
                finishPod(pod, exit, tail);
                if (exit == 0) {
                    status.setActive(0);
                    status.setSucceeded(1);
                    status.setCompletionTime(Instant.now().toString());
                    status.setConditions(List.of(condition("Complete", null, null)));
                    patchJob(job, status);
                    return;
                }
                status.setFailed(attempt + 1);
                patchJob(job, status);
            }
            status.setActive(0);
            status.setConditions(List.of(condition("Failed", "BackoffLimitExceeded",
                    "Job has reached the specified backoff limit")));
            patchJob(job, status);
        } catch (Exception e) {
            throw new IllegalStateException("job runner failed on " + job.getMetadata().getName(), e);
        }
    }

    private int execute(Container c, Path dir, Path log) throws IOException, InterruptedException {
        if (!"bellm".equals(c.getCommand().get(0))) {
            throw new IllegalArgumentException("unknown command " + c.getCommand());
        }
        List<String> args = c.getArgs();
        Map<String, String> env = new HashMap<>();
        c.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        Process p = WorkerJar.forCommand(args.get(0)).start(args, env, log, dir);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return 137;
        }
        return p.exitValue();
    }

    private Pod createPod(Job job, int attempt) {
        Map<String, String> labels = new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("job-name", job.getMetadata().getName());
        labels.put("controller-uid", job.getMetadata().getUid());
        Pod pod = new PodBuilder().withNewMetadata().withName(job.getMetadata().getName() + "-" + attempt)
                .withNamespace(namespace).withLabels(labels)
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid()).withController(true).endOwnerReference()
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .build();
        return client.pods().inNamespace(namespace).resource(pod).create();
    }

    private void finishPod(Pod pod, int exit, String message) {
        String now = Instant.now().toString();
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                .withPhase(exit == 0 ? "Succeeded" : "Failed")
                .withContainerStatuses(new ContainerStatusBuilder().withName(StepJobs.CONTAINER)
                        .withImage(pod.getSpec().getContainers().get(0).getImage()).withImageID("")
                        .withReady(false).withRestartCount(0)
                        .withNewState().withNewTerminated().withExitCode(exit)
                        .withReason(exit == 0 ? "Completed" : "Error").withMessage(message)
                        .withStartedAt(now).withFinishedAt(now).endTerminated().endState()
                        .build())
                .build());
        client.pods().inNamespace(namespace).resource(pod).updateStatus();
    }

    private Job current(Job job) {
        return client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName()).get();
    }

    private void patchJob(Job job, JobStatus status) {
        Job current = current(job);
        current.setStatus(status);
        client.batch().v1().jobs().inNamespace(namespace).resource(current).updateStatus();
    }

    private static io.fabric8.kubernetes.api.model.batch.v1.JobCondition condition(String type, String reason,
                                                                                  String message) {
        String now = Instant.now().toString();
        return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .withLastProbeTime(now).withLastTransitionTime(now).build();
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log);
        return text.length() <= TAIL ? text : text.substring(text.length() - TAIL);
    }

    @Override
    public void close() {
        watch.close();
        release();
        pool.shutdownNow();
    }
}
