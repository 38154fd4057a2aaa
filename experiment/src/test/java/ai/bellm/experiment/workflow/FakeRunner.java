package ai.bellm.experiment.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Steps in memory: launched ones run until a test finishes them or the workflow stops them. */
final class FakeRunner implements StepRunner {
    /** Every step starts at this time and ends 90 s later. */
    static final Instant STARTED = Instant.parse("2026-12-04T10:00:00Z");
    static final Instant FINISHED = STARTED.plusSeconds(90);
    final Map<StepKey, StepObservation> steps = new LinkedHashMap<>();
    final List<StepLaunch> launches = new ArrayList<>();
    final List<String> stopped = new ArrayList<>();

    @Override
    public Optional<StepObservation> find(StepKey key) {
        return Optional.ofNullable(steps.get(key));
    }

    @Override
    public StepObservation launch(StepLaunch launch) {
        if (steps.containsKey(launch.key())) {
            return steps.get(launch.key());
        }
        launches.add(launch);
        StepObservation running = new StepObservation(StepState.RUNNING, launch.runId(), null, STARTED, null);
        steps.put(launch.key(), running);
        return running;
    }

    @Override
    public void stop(String step) {
        if (steps.keySet().removeIf(key -> key.id().name().equals(step))) {
            stopped.add(step);
        }
    }

    /** Ends the latest launch of the step. */
    void finish(StepId id, boolean success, String message) {
        StepKey key = launched(id).key();
        steps.put(key, new StepObservation(success ? StepState.SUCCEEDED : StepState.FAILED, steps.get(key).runId(),
                message, STARTED, FINISHED));
    }

    /** The latest launch of the step. */
    StepLaunch launched(StepId id) {
        return launches.stream().filter(l -> l.id().equals(id)).reduce((a, b) -> b).orElseThrow();
    }

    long launchesOf(StepId id) {
        return launches.stream().filter(l -> l.id().equals(id)).count();
    }
}
