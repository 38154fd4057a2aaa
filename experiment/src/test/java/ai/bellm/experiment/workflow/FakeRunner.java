package ai.bellm.experiment.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Steps in memory: launched ones run until a test finishes them. */
final class FakeRunner implements StepRunner {
    /** Every step starts at this time and ends 90 s later. */
    static final Instant STARTED = Instant.parse("2026-12-04T10:00:00Z");
    static final Instant FINISHED = STARTED.plusSeconds(90);
    final Map<StepId, StepObservation> steps = new LinkedHashMap<>();
    final List<StepLaunch> launches = new ArrayList<>();

    @Override
    public Optional<StepObservation> find(StepId id) {
        return Optional.ofNullable(steps.get(id));
    }

    @Override
    public StepObservation launch(StepLaunch launch) {
        if (steps.containsKey(launch.id())) {
            return steps.get(launch.id());
        }
        launches.add(launch);
        StepObservation running = new StepObservation(StepState.RUNNING, launch.runId(), null, STARTED, null);
        steps.put(launch.id(), running);
        return running;
    }

    void finish(StepId id, boolean success, String message) {
        steps.put(id, new StepObservation(success ? StepState.SUCCEEDED : StepState.FAILED, steps.get(id).runId(),
                message, STARTED, FINISHED));
    }

    StepLaunch launched(StepId id) {
        return launches.stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow();
    }
}
