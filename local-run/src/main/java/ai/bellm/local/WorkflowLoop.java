package ai.bellm.local;

import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.api.Phase;
import ai.bellm.experiment.workflow.EventsUnavailableException;
import ai.bellm.experiment.workflow.ExperimentRef;
import ai.bellm.experiment.workflow.ExperimentWorkflow;
import ai.bellm.tracking.TrackingUnavailableException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Drives {@link ExperimentWorkflow#advance} until Succeeded or Failed (or Ctrl-C): one line per phase transition
 * with its message, and progress of the running steps in between. MLflow that stops answering is retried by the
 * MLflow client (with backoff, up to its deadline); Kafka refusing the ModelPromoted event is retried here.
 */
final class WorkflowLoop {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int EVENT_ATTEMPTS = 5;

    private final ExperimentWorkflow workflow;
    private final Supplier<List<LocalStep>> steps;
    private final StepProgress progress;
    private final BooleanSupplier stopRequested;
    private final PrintWriter out;
    private final long started = System.nanoTime();

    WorkflowLoop(ExperimentWorkflow workflow, Supplier<List<LocalStep>> steps, StepProgress progress,
                 BooleanSupplier stopRequested, PrintWriter out) {
        this.workflow = workflow;
        this.steps = steps;
        this.progress = progress;
        this.stopRequested = stopRequested;
        this.out = out;
    }

    /** Advances {@code status} to Succeeded or Failed. */
    void run(ExperimentRef ref, BeLLMExperimentSpec spec, BeLLMExperimentStatus status, String mlflowUri)
            throws InterruptedException {
        int eventFailures = 0;
        while (status.phase == null || !status.phase.terminal()) {
            if (stopRequested.getAsBoolean()) {
                throw new IllegalStateException("interrupted in phase " + status.phase);
            }
            Phase before = status.phase;
            try {
                workflow.advance(ref, spec, status);
                eventFailures = 0;
            } catch (TrackingUnavailableException e) {
                throw new IllegalStateException("MLflow at " + mlflowUri + " stopped answering in phase " + before
                        + " (retried with backoff): " + e.getMessage(), e);
            } catch (EventsUnavailableException e) {
                if (++eventFailures >= EVENT_ATTEMPTS) {
                    throw new IllegalStateException("Kafka did not take the experiment's event after "
                            + EVENT_ATTEMPTS + " attempts: " + e.getMessage(), e);
                }
                progress.note("Kafka unavailable, retrying in " + (1 << eventFailures) + " s");
                Thread.sleep(1000L << eventFailures);
            }
            if (status.phase != before) {
                progress.clear();
                out.printf("[%s] %-10s %s%n", StepProgress.clock(elapsedSeconds()), status.phase, status.message);
                out.flush();
            } else {
                progress.show(steps.get(), elapsedSeconds());
                Thread.sleep(POLL.toMillis());
            }
        }
        progress.clear();
    }

    long elapsedSeconds() {
        return (System.nanoTime() - started) / 1_000_000_000L;
    }
}
