package ai.bellm.local;

import ai.bellm.experiment.workflow.StepKey;
import ai.bellm.experiment.workflow.StepLaunch;
import ai.bellm.experiment.workflow.StepObservation;
import ai.bellm.experiment.workflow.StepRunner;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.TrackingConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The workflow's steps as local processes: each one {@code bellm <args>} with {@code MLFLOW_TRACKING_URI},
 * {@code MLFLOW_RUN_ID} and the step's env, in {@code STEPS_DIR/<step>/}; at most {@code parallelism} at a time
 * (the others wait their turn). GPU requests are ignored: the steps run on this machine's CPU.
 */
final class LocalStepRunner implements StepRunner, AutoCloseable {
    private final WorkerProcesses processes;
    private final Path stepsDir;
    private final Map<String, String> env;
    private final ExecutorService slots;
    private final Consumer<String> notes;
    private final Map<StepKey, LocalStep> steps = new ConcurrentHashMap<>();

    /**
     * @param env   for every step (beside tracking URI and run id), e.g. BELLM_THREADS
     * @param notes receives one-line remarks for the user
     */
    LocalStepRunner(WorkerProcesses processes, Path stepsDir, String mlflowUri, Map<String, String> env,
                    int parallelism, Consumer<String> notes) {
        this.processes = processes;
        this.stepsDir = stepsDir;
        this.env = new HashMap<>(env);
        this.env.put(TrackingConfig.TRACKING_URI_ENV, mlflowUri);
        this.slots = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "local-step");
            t.setDaemon(true);
            return t;
        });
        this.notes = notes;
    }

    @Override
    public Optional<StepObservation> find(StepKey key) {
        return Optional.ofNullable(steps.get(key)).map(LocalStep::observe);
    }

    @Override
    public StepObservation launch(StepLaunch launch) {
        return steps.computeIfAbsent(launch.key(), key -> start(launch)).observe();
    }

    @Override
    public void stop(String step) {
        steps.keySet().removeIf(key -> {
            if (!key.id().name().equals(step)) {
                return false;
            }
            steps.get(key).stop();
            return true;
        });
    }

    /** The steps launched so far, in no particular order. */
    List<LocalStep> steps() {
        return List.copyOf(steps.values());
    }

    private LocalStep start(StepLaunch launch) {
        if (launch.gpu()) {
            notes.accept(launch.id() + " asks for GPUs (resources.gpus): ignored, it runs on this machine's CPU");
        }
        Map<String, String> stepEnv = new HashMap<>(env);
        stepEnv.putAll(launch.env());
        stepEnv.put(MlflowTracking.RUN_ID_ENV, launch.runId());
        LocalStep step = new LocalStep(launch, stepsDir.resolve(launch.id().name()));
        slots.submit(() -> step.run(processes, stepEnv));
        return step;
    }

    /** Stops every running step (Ctrl-C, or the run ending early). */
    @Override
    public void close() {
        slots.shutdownNow();
        steps.values().forEach(LocalStep::stop);
        try {
            slots.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
