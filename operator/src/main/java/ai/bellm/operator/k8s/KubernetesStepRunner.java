package ai.bellm.operator.k8s;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.experiment.workflow.StepKey;
import ai.bellm.experiment.workflow.StepLaunch;
import ai.bellm.experiment.workflow.StepObservation;
import ai.bellm.experiment.workflow.StepRunner;
import ai.bellm.experiment.workflow.StepState;
import ai.bellm.tracking.MlflowTracking;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Steps as Jobs of one experiment, one per attempt at a step's inputs. Jobs are read from the API server (not an
 * informer cache), so a step created a moment ago is never missed and created twice. A running step whose pod cannot start is remembered as a
 * {@link #startProblem()}; past {@code spec.resources.startTimeoutSeconds} its Job is deleted and the step failed.
 */
public final class KubernetesStepRunner implements StepRunner {
    private static final int UNPROCESSABLE = 422;
    private final KubernetesClient client;
    private final BeLLMExperiment experiment;
    private final String mlflowUri;
    private final String defaultImage;
    private final Optional<String> mlflowSecret;
    private Optional<PodStartProblem> startProblem = Optional.empty();

    public KubernetesStepRunner(KubernetesClient client, BeLLMExperiment experiment, String mlflowUri,
                                String defaultImage, Optional<String> mlflowSecret) {
        this.client = client;
        this.experiment = experiment;
        this.mlflowUri = mlflowUri;
        this.defaultImage = defaultImage;
        this.mlflowSecret = mlflowSecret;
    }

    @Override
    public Optional<StepObservation> find(StepKey key) {
        String name = JobNames.of(experiment.getMetadata().getName(), key);
        Job job = client.batch().v1().jobs().inNamespace(experiment.getMetadata().getNamespace()).withName(name).get();
        if (job != null && !StepJobs.ownedBy(job, experiment.getMetadata().getUid())) {
            throw new EarlierJobException(job);
        }
        return Optional.ofNullable(job).map(this::observe);
    }

    @Override
    public StepObservation launch(StepLaunch launch) {
        Job job = StepJobs.build(experiment, launch, mlflowUri, defaultImage, mlflowSecret);
        try {
            return observe(client.batch().v1().jobs().resource(job).create());
        } catch (KubernetesClientException e) {
            if (e.getCode() == UNPROCESSABLE) {
                // the same Job would be refused again: the step fails, until a spec change or a retry
                return new StepObservation(StepState.FAILED, launch.runId(), "the API server refused the step's Job"
                        + " (check spec.resources): " + StepJobs.apiServerMessage(e), null, Instant.now());
            }
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            return find(launch.key()).orElseThrow(() -> e); // created by an earlier attempt: that one counts
        }
    }

    @Override
    public void stop(String step) {
        StepJobs.delete(client, experiment, Optional.of(step));
    }

    /** The first step pod that could not start, seen by this runner's observations so far. */
    public Optional<PodStartProblem> startProblem() {
        return startProblem;
    }

    private StepObservation observe(Job job) {
        String runId = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> MlflowTracking.RUN_ID_ENV.equals(e.getName())).map(e -> e.getValue()).findFirst()
                .orElse(null);
        var status = job.getStatus();
        Instant started = status == null ? null : instant(status.getStartTime());
        if (status != null && status.getSucceeded() != null && status.getSucceeded() > 0) {
            return new StepObservation(StepState.SUCCEEDED, runId, null, started, instant(status.getCompletionTime()));
        }
        Optional<JobCondition> failed = status == null || status.getConditions() == null ? Optional.empty()
                : status.getConditions().stream()
                        .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
        if (failed.isPresent()) {
            return new StepObservation(StepState.FAILED, runId, failureMessage(job, failed.get()), started,
                    instant(failed.get().getLastTransitionTime()));
        }
        Optional<PodStartProblem> problem = status == null || status.getActive() == null || status.getActive() == 0
                ? Optional.empty() : PodStartProblem.of(podsOf(job));
        if (problem.isEmpty()) {
            return new StepObservation(StepState.RUNNING, runId, null, started, null);
        }
        Duration timeout = Duration.ofSeconds(experiment.getSpec().resources.startTimeoutSeconds);
        if (!problem.get().outlasted(timeout, Instant.now())) {
            startProblem = startProblem.or(() -> problem);
            return new StepObservation(StepState.RUNNING, runId, null, started, null);
        }
        // a pod that cannot start keeps its node's resources reserved (or waits for ever): the Job goes
        client.batch().v1().jobs().resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        return new StepObservation(StepState.FAILED, runId, problem.get().describe() + " for longer than"
                + " resources.startTimeoutSeconds (" + timeout.toSeconds() + " s)", started, Instant.now());
    }

    /** A time of the Job's status (RFC 3339), or null. */
    private static Instant instant(String time) {
        return time == null ? null : Instant.parse(time);
    }

    private List<Pod> podsOf(Job job) {
        return client.pods().inNamespace(job.getMetadata().getNamespace())
                .withLabel("job-name", job.getMetadata().getName()).list().getItems();
    }

    /** The Job's reason, and the last failed pod's termination message (the worker's error) when there is one. */
    private String failureMessage(Job job, JobCondition failed) {
        String jobReason = failed.getReason() + (failed.getMessage() == null ? "" : " (" + failed.getMessage() + ")");
        Optional<ContainerStateTerminated> last = podsOf(job).stream()
                .map(Pod::getStatus).filter(Objects::nonNull)
                .flatMap(s -> s.getContainerStatuses() == null ? java.util.stream.Stream.empty()
                        : s.getContainerStatuses().stream())
                .map(ContainerStatus::getState).filter(s -> s != null && s.getTerminated() != null)
                .map(s -> s.getTerminated())
                .max(Comparator.comparing(t -> t.getFinishedAt() == null ? "" : t.getFinishedAt()));
        if (last.isEmpty()) {
            return jobReason;
        }
        ContainerStateTerminated t = last.get();
        String message = t.getMessage() == null ? "" : t.getMessage().strip();
        return jobReason + "; pod: " + t.getReason() + " exit " + t.getExitCode() + (message.isEmpty() ? ""
                : ": " + message);
    }
}
