package ai.bellm.operator.k8s;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.api.Phase;
import ai.bellm.experiment.workflow.EventsUnavailableException;
import ai.bellm.experiment.workflow.ExperimentRef;
import ai.bellm.experiment.workflow.ExperimentWorkflow;
import ai.bellm.experiment.workflow.ModelEvents;
import ai.bellm.experiment.workflow.WorkflowTracking;
import ai.bellm.tracking.TrackingException;
import ai.bellm.tracking.TrackingUnavailableException;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.micrometer.core.instrument.Timer;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a BeLLMExperiment: runs {@link ExperimentWorkflow} with its steps as Jobs, then writes status,
 * conditions and an Event per transition. Job changes wake it up (informer on the Jobs it owns).
 *
 * <p><b>Spec changes</b> rerun only the steps whose inputs changed ({@link ExperimentWorkflow}) and retry the failed
 * ones. {@code spec.suspend} stops the running steps; the annotation {@value BeLLMExperiment#RETRY_ANNOTATION} with a
 * new value retries a Failed experiment from its failed steps. A new {@code spec.tracking.mlflowUri} starts over on
 * that server. Only these wake the reconciler ({@link #wakesUp}), with the Jobs' changes and its polls; its own
 * status patches do not.
 *
 * <p><b>A step pod that cannot start</b> (unschedulable, image missing): {@code Ready=False} with the scheduler's or
 * kubelet's reason and a warning Event, the phase unchanged; past {@code spec.resources.startTimeoutSeconds} the
 * step fails, and with it the experiment.
 *
 * <p><b>Deletion.</b> The operator's finalizer keeps a deleted experiment until its Jobs are deleted and the runs of
 * an unfinished one have ended KILLED ({@link #cleanup}). Jobs are told apart by their owner reference, never by name
 * or label alone: a recreated experiment of the same name adopts nothing of an earlier one.
 *
 * <p><b>MLflow or Kafka unreachable, or a Kubernetes call refused</b> (e.g. RBAC without a verb: reason
 * {@code Forbidden} with the API server's message). The status keeps its phase, {@code Ready=False} names the
 * problem, and the reconcile is retried with exponential backoff.
 */
public final class ExperimentReconciler implements Reconciler<BeLLMExperiment>, Cleaner<BeLLMExperiment> {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentReconciler.class);
    /** Re-check of a running experiment even if no Job event arrives. */
    private static final Duration POLL = Duration.ofSeconds(30);
    /** A training's progress is read from its run at each reconcile: often enough for an ETA to follow it. */
    private static final Duration TRAINING_POLL = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** How long a deleted experiment waits for its MLflow server to end its runs. */
    private static final Duration CLEANUP_PATIENCE = Duration.ofMinutes(10);

    private final KubernetesClient client;
    private final OperatorSettings settings;
    private final MlflowClients mlflow;
    private final ModelEvents modelEvents;
    private final TransitionEvents events;
    private final OperatorMetrics metrics;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    public ExperimentReconciler(KubernetesClient client, OperatorSettings settings, MlflowClients mlflow,
                                ModelEvents modelEvents, OperatorMetrics metrics) {
        this.client = client;
        this.settings = settings;
        this.mlflow = mlflow;
        this.modelEvents = modelEvents;
        this.events = new TransitionEvents(client);
        this.metrics = metrics;
    }

    @Override
    public List<EventSource<?, BeLLMExperiment>> prepareEventSources(EventSourceContext<BeLLMExperiment> context) {
        metrics.watch(context.getPrimaryCache());
        return List.of(new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, BeLLMExperiment.class)
                .withLabelSelector(StepJobs.MANAGED_BY + "=bellm-operator")
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(BeLLMExperiment.class))
                .build(), context));
    }

    @Override
    public UpdateControl<BeLLMExperiment> reconcile(BeLLMExperiment experiment, Context<BeLLMExperiment> context) {
        Timer.Sample sample = metrics.start();
        long generation = experiment.getMetadata().getGeneration();
        String uid = experiment.getMetadata().getUid();
        BeLLMExperimentStatus baseline = copy(experiment.getStatus() == null ? new BeLLMExperimentStatus()
                : experiment.getStatus());
        if (baseline.observedGeneration == null) {
            baseline.observedGeneration = generation;
        } else if (baseline.observedGeneration != generation) {
            baseline = specChanged(experiment, baseline);
        }
        retryIfAsked(experiment, baseline);
        if (baseline.phase == null) {
            baseline.phase = Phase.Pending; // so that a first reconcile that cannot reach MLflow still reports it
        }
        if (baseline.runs.mlflowUri == null) {
            Optional<String> notAllowed = settings.trackingProblem(experiment.getSpec());
            if (notAllowed.isPresent()) {
                return trackingNotAllowed(experiment, baseline, notAllowed.get(), sample);
            }
            baseline.runs.mlflowUri = settings.trackingUriOf(experiment.getSpec());
        }
        BeLLMExperimentStatus status = copy(baseline);
        Phase before = status.phase;
        ExperimentRef ref = new ExperimentRef(experiment.getMetadata().getNamespace(),
                experiment.getMetadata().getName(), uid, generation);
        KubernetesStepRunner runner = new KubernetesStepRunner(client, experiment, status.runs.mlflowUri,
                settings.workerImage(), settings.stepMlflowSecret());
        try {
            new ExperimentWorkflow(mlflow.at(status.runs.mlflowUri), runner, modelEvents)
                    .advance(ref, experiment.getSpec(), status);
        } catch (TrackingException | EventsUnavailableException e) {
            String reason = e instanceof EventsUnavailableException ? "KafkaUnavailable"
                    : e instanceof TrackingUnavailableException ? "MlflowUnavailable" : "MlflowError";
            return retryLater(experiment, baseline, before, sample, reason,
                    Objects.requireNonNullElse(e.getMessage(), e.toString()));
        } catch (EarlierJobException e) {
            return retryLater(experiment, baseline, before, sample, "EarlierJobPresent", e.getMessage());
        } catch (KubernetesClientException e) {
            // typically RBAC lacking a permission: shown on the resource, and retried in case it is granted
            String reason = e.getCode() == HttpURLConnection.HTTP_FORBIDDEN ? "Forbidden" : "KubernetesApiError";
            return retryLater(experiment, baseline, before, sample, reason, StepJobs.apiServerMessage(e));
        }
        failures.remove(uid);
        Optional<PodStartProblem> stuck = status.phase.terminal() ? Optional.empty() : runner.startProblem();
        Conditions.update(status, generation, stuck.map(PodStartProblem::reason).orElse(null),
                stuck.map(PodStartProblem::describe).orElse(null));
        if (stuck.isPresent() && !stuck.get().reason().equals(readyReason(baseline))) {
            events.record(experiment, "PodCannotStart", stuck.get().describe(), true);
        }
        if (before != status.phase) {
            events.record(experiment, status.phase.name(), Objects.requireNonNullElse(status.message, status.phase.name()),
                    status.phase == Phase.Failed);
        }
        experiment.setStatus(status);
        metrics.reconciled(sample, "ok");
        UpdateControl<BeLLMExperiment> control = UpdateControl.patchStatus(experiment);
        // waiting steps wake it by their Jobs, polled as a safety net and for the training's progress
        if (!status.phase.progressing()) {
            return control;
        }
        return control.rescheduleAfter(status.phase == Phase.Training ? TRAINING_POLL : POLL);
    }

    /**
     * Which updates of an experiment reconcile it: a new generation of the spec, a new value of the retry
     * annotation, deletion and finalizers; not the status patches the reconciler makes itself.
     */
    static boolean wakesUp(BeLLMExperiment newer, BeLLMExperiment older) {
        return newer.getMetadata().getGeneration() > older.getMetadata().getGeneration()
                || newer.isMarkedForDeletion()
                || !Objects.equals(newer.getMetadata().getFinalizers(), older.getMetadata().getFinalizers())
                || !Objects.equals(retryAsked(newer), retryAsked(older));
    }

    private static String retryAsked(BeLLMExperiment experiment) {
        Map<String, String> annotations = experiment.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(BeLLMExperiment.RETRY_ANNOTATION);
    }

    /** Keeps the phase, reports the problem as {@code Ready=False} with {@code reason}, retries with backoff. */
    private UpdateControl<BeLLMExperiment> retryLater(BeLLMExperiment experiment, BeLLMExperimentStatus baseline,
                                                      Phase phase, Timer.Sample sample, String reason, String problem) {
        Duration delay = backoff(experiment.getMetadata().getUid());
        LOG.warn("{}/{}: {} in phase {}, retrying in {}: {}", experiment.getMetadata().getNamespace(),
                experiment.getMetadata().getName(), reason, phase, delay, problem);
        Conditions.update(baseline, experiment.getMetadata().getGeneration(), reason, problem);
        experiment.setStatus(baseline);
        metrics.reconciled(sample, "retry");
        return UpdateControl.patchStatus(experiment).rescheduleAfter(delay);
    }

    /** Fails the experiment without calling {@code mlflowUri}; a spec change naming an allowed one starts it again. */
    private UpdateControl<BeLLMExperiment> trackingNotAllowed(BeLLMExperiment experiment,
                                                              BeLLMExperimentStatus status, String problem,
                                                              Timer.Sample sample) {
        Phase before = status.phase;
        status.phase = Phase.Failed;
        status.message = problem;
        Conditions.update(status, experiment.getMetadata().getGeneration(), null, null);
        if (before != Phase.Failed) {
            events.record(experiment, "TrackingUriNotAllowed", status.message, true);
        }
        experiment.setStatus(status);
        metrics.reconciled(sample, "ok");
        return UpdateControl.patchStatus(experiment);
    }

    /**
     * A new generation of the spec: the walk reruns what changed, and failed steps get another attempt. A new
     * tracking server shares nothing with the old one: the old Jobs go, and the experiment starts over there.
     */
    private BeLLMExperimentStatus specChanged(BeLLMExperiment experiment, BeLLMExperimentStatus old) {
        long generation = experiment.getMetadata().getGeneration();
        if (old.runs.mlflowUri != null && !old.runs.mlflowUri.equals(settings.trackingUriOf(experiment.getSpec()))) {
            StepJobs.delete(client, experiment, Optional.empty());
            if (old.runs.parent != null && old.phase != null && !old.phase.terminal()) {
                try {
                    mlflow.at(old.runs.mlflowUri).kill(old.runs.parent, "the experiment moved to another MLflow");
                } catch (TrackingException e) {
                    LOG.warn("could not end run {} on the former tracking server: {}", old.runs.parent,
                            e.getMessage());
                }
            }
            BeLLMExperimentStatus fresh = new BeLLMExperimentStatus();
            fresh.conditions = old.conditions;
            fresh.retried = old.retried;
            fresh.observedGeneration = generation;
            fresh.phase = Phase.Pending;
            fresh.message = "spec.tracking.mlflowUri changed (generation " + generation + "): starting over there";
            events.record(experiment, "Restarted", fresh.message, false);
            return fresh;
        }
        old.observedGeneration = generation;
        List<String> retried = ExperimentWorkflow.retryFailedSteps(old);
        events.record(experiment, "SpecChanged", "generation " + generation + ": the steps whose inputs changed run"
                + " again" + (retried.isEmpty() ? "" : "; retrying " + String.join(", ", retried)), false);
        return old;
    }

    /** {@value BeLLMExperiment#RETRY_ANNOTATION} with a value not acted on yet: a Failed experiment retries. */
    private void retryIfAsked(BeLLMExperiment experiment, BeLLMExperimentStatus status) {
        String asked = retryAsked(experiment);
        if (asked == null || asked.equals(status.retried)) {
            return;
        }
        status.retried = asked;
        if (status.phase == Phase.Failed) {
            List<String> retried = ExperimentWorkflow.retryFailedSteps(status);
            events.record(experiment, "Retrying", retried.isEmpty() ? "retrying (no step had failed)"
                    : "retrying " + String.join(", ", retried), false);
        } else if (status.phase != null) {
            events.record(experiment, "RetryIgnored", BeLLMExperiment.RETRY_ANNOTATION + " retries a Failed"
                    + " experiment; this one is " + status.phase, false);
        }
    }

    /**
     * A deleted experiment (the operator's finalizer holds it until this returns): its Jobs are deleted, and the MLflow
     * runs of an unfinished one end KILLED with the reason in a tag. An MLflow that does not answer is retried with
     * backoff for {@link #CLEANUP_PATIENCE} after the deletion, then the runs are left as they are.
     */
    @Override
    public DeleteControl cleanup(BeLLMExperiment experiment, Context<BeLLMExperiment> context) {
        StepJobs.delete(client, experiment, Optional.empty());
        BeLLMExperimentStatus status = experiment.getStatus();
        if (status != null && status.phase != null && !status.phase.terminal() && status.runs.mlflowUri != null) {
            String reason = "BeLLMExperiment " + experiment.getMetadata().getNamespace() + "/"
                    + experiment.getMetadata().getName() + " was deleted while " + status.phase;
            try {
                WorkflowTracking tracking = mlflow.at(status.runs.mlflowUri);
                for (String run : runsOf(status)) {
                    tracking.kill(run, reason);
                }
            } catch (TrackingException e) {
                Instant deleted = Instant.parse(experiment.getMetadata().getDeletionTimestamp());
                if (Instant.now().isBefore(deleted.plus(CLEANUP_PATIENCE))) {
                    Duration delay = backoff(experiment.getMetadata().getUid());
                    LOG.warn("{}/{}: deleted, but its MLflow runs cannot be ended yet, retrying in {}: {}",
                            experiment.getMetadata().getNamespace(), experiment.getMetadata().getName(), delay,
                            e.getMessage());
                    return DeleteControl.noFinalizerRemoval().rescheduleAfter(delay.toMillis());
                }
                LOG.warn("{}/{}: deleted; its MLflow runs stay as they are after {} of trying: {}",
                        experiment.getMetadata().getNamespace(), experiment.getMetadata().getName(),
                        CLEANUP_PATIENCE, e.getMessage());
            }
        }
        failures.remove(experiment.getMetadata().getUid());
        return DeleteControl.defaultDelete();
    }

    /** The experiment's runs, children first, so that the parent is never ended before its steps. */
    private static List<String> runsOf(BeLLMExperimentStatus status) {
        List<String> runs = new ArrayList<>(status.runs.sweep);
        Stream.of(status.runs.train, status.runs.evaluate, status.runs.parent).filter(Objects::nonNull)
                .forEach(runs::add);
        return runs;
    }

    private static String readyReason(BeLLMExperimentStatus status) {
        return status.conditions.stream().filter(c -> Conditions.READY.equals(c.getType())).map(c -> c.getReason())
                .findFirst().orElse(null);
    }

    private Duration backoff(String uid) {
        int n = failures.merge(uid, 1, Integer::sum);
        Duration delay = settings.retryBackoff().multipliedBy(1L << Math.min(n - 1, 20));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    private BeLLMExperimentStatus copy(BeLLMExperimentStatus status) {
        return client.getKubernetesSerialization().clone(status);
    }
}
