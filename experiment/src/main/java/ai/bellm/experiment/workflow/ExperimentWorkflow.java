package ai.bellm.experiment.workflow;

import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.api.Phase;
import ai.bellm.api.PromotionStatus;
import ai.bellm.api.StepTimes;
import ai.bellm.api.SweepPoint;
import ai.bellm.metrics.CurvePoint;
import ai.bellm.tracking.TrackingTags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The experiment's state machine, independent of where steps run: Pending → Sweeping → Training → Evaluating →
 * Promoting → Succeeded, or Failed with a message. {@link #advance} looks at the steps of the current phase, launches
 * the missing ones, and moves on when they all succeeded; it is called again whenever something changes.
 * Everything it decides from is in the status, the runner's steps and MLflow, so a restarted caller continues where
 * the last one stopped.
 */
public final class ExperimentWorkflow {
    private final WorkflowTracking tracking;
    private final StepRunner runner;
    private final ModelEvents events;
    private final Promoter promoter;

    public ExperimentWorkflow(WorkflowTracking tracking, StepRunner runner, ModelEvents events) {
        this.tracking = tracking;
        this.runner = runner;
        this.events = events;
        this.promoter = new Promoter(tracking, events);
    }

    /** The MLflow experiment of a resource: the spec's, else one per namespace. */
    public static String mlflowExperiment(ExperimentRef ref, BeLLMExperimentSpec spec) {
        String name = spec.tracking == null ? null : spec.tracking.experimentName;
        return name != null && !name.isBlank() ? name : "bellm-" + ref.namespace();
    }

    /**
     * Advances {@code status} by at most one phase; an experiment that fails or is not promoted is announced.
     *
     * @throws ai.bellm.tracking.TrackingException when MLflow fails; {@code status} may then be half updated
     */
    public void advance(ExperimentRef ref, BeLLMExperimentSpec spec, BeLLMExperimentStatus status) {
        if (status.phase == null) {
            status.phase = Phase.Pending;
        }
        Phase before = status.phase;
        switch (status.phase) {
            case Pending -> start(ref, spec, status);
            case Sweeping -> sweep(ref, spec, status);
            case Training -> train(ref, spec, status);
            case Evaluating -> evaluate(ref, spec, status);
            case Promoting -> promote(ref, spec, status);
            case Succeeded, Failed -> { }
        }
        if (before != Phase.Failed && status.phase == Phase.Failed) {
            events.failed(spec.promotion == null ? null : spec.promotion.registeredModel, status.message, ref);
        }
    }

    private void start(ExperimentRef ref, BeLLMExperimentSpec spec, BeLLMExperimentStatus status) {
        List<String> problems = SpecValidator.problems(spec);
        if (!problems.isEmpty()) {
            fail(status, "invalid spec: " + String.join("; ", problems));
            return;
        }
        status.runs.parent = tracking.startParentRun(mlflowExperiment(ref, spec), ref.name(), tags(ref, "experiment"));
        Integer known = spec.sweep.turningPoint;
        if (known != null) {
            status.turningPoint = known;
            status.phase = Phase.Training;
            status.message = "turning point " + known + " given by the spec: no sweep";
        } else {
            status.phase = Phase.Sweeping;
            status.message = "sweeping in " + spec.sweep.shards + " shard(s)";
        }
    }

    private void sweep(ExperimentRef ref, BeLLMExperimentSpec spec, BeLLMExperimentStatus status) {
        StepCommands commands = new StepCommands(spec);
        int shards = spec.sweep.shards;
        List<StepObservation> steps = new ArrayList<>();
        for (int shard = 1; shard <= shards; shard++) {
            int s = shard;
            steps.add(ensure(ref, status, StepId.sweep(shard, shards),
                    run -> new StepLaunch(StepId.sweep(s, shards), commands.sweep(s, shards), Map.of(), run, false)));
        }
        status.runs.sweep = steps.stream().map(StepObservation::runId).toList();
        for (int i = 0; i < shards; i++) {
            if (steps.get(i).state() == StepState.FAILED) {
                fail(status, StepId.sweep(i + 1, shards) + " failed: " + steps.get(i).message());
                return;
            }
        }
        long done = steps.stream().filter(s -> s.state() == StepState.SUCCEEDED).count();
        if (done < shards) {
            status.message = "sweeping: " + done + " of " + shards + " shard(s) done";
            return;
        }
        List<List<CurvePoint>> curves = status.runs.sweep.stream().map(tracking::sweepCurve).toList();
        SweepOutcome outcome;
        try {
            outcome = SweepOutcome.of(curves, spec.sweep.maxDrop);
        } catch (IllegalStateException e) {
            fail(status, "sweep: " + e.getMessage());
            return;
        }
        status.sweep = outcome.curve().stream().map(p -> new SweepPoint(p.layers(), p.score())).toList();
        status.turningPoint = outcome.turningPoint().point().layers();
        status.dropObserved = outcome.turningPoint().dropObserved();
        tracking.setTags(status.runs.parent, Map.of("bellm.turning_point", status.turningPoint.toString()));
        status.phase = Phase.Training;
        status.message = (outcome.turningPoint().dropObserved()
                ? "turning point " + status.turningPoint : "no drop up to " + status.turningPoint + " layers")
                + ": training with the layers above it bidirectional";
    }

    private void train(ExperimentRef ref, BeLLMExperimentSpec spec, BeLLMExperimentStatus status) {
        StepId id = StepId.of(StepKind.TRAIN);
        List<String> args = new StepCommands(spec).train(status.turningPoint);
        StepObservation step = ensure(ref, status, id,
                run -> new StepLaunch(id, args, Map.of(), run, spec.resources.gpus > 0));
        status.runs.train = step.runId();
        if (!finished(step, id, status)) {
            return;
        }
        // K is the trainer's: it applies the rule with the model's layer count and logs the recipe it ran with
        String k = tracking.param(step.runId(), "bidirectional_from").orElse("none");
        status.bidirectionalFrom = "none".equals(k) ? null : Integer.valueOf(k);
        tracking.setTags(status.runs.parent, Map.of("bellm.bidirectional_from", k));
        status.phase = Phase.Evaluating;
        status.message = "trained with layers from " + k + " on bidirectional; evaluating";
    }

    private void evaluate(ExperimentRef ref, BeLLMExperimentSpec spec, BeLLMExperimentStatus status) {
        StepId id = StepId.of(StepKind.EVALUATE);
        StepCommands commands = new StepCommands(spec);
        List<String> args = commands.evaluate(status.runs.train);
        StepObservation step = ensure(ref, status, id,
                run -> new StepLaunch(id, args, commands.evaluateEnv(), run, false));
        status.runs.evaluate = step.runId();
        if (!finished(step, id, status)) {
            return;
        }
        String metric = spec.promotion.metric;
        Optional<Double> score = boxed(tracking.lastMetric(step.runId(), metric));
        if (score.isEmpty()) {
            fail(status, "the evaluation logged no '" + metric + "' (the promotion metric)");
            return;
        }
        status.score = score.get();
        status.phase = Phase.Promoting;
        status.message = String.format(Locale.ROOT, "evaluated: %s %.4f", metric, score.get());
    }

    private void promote(ExperimentRef ref, BeLLMExperimentSpec spec, BeLLMExperimentStatus status) {
        PromotionStatus result = promoter.promote(ref, spec.promotion, status.runs.train, status.score);
        if (!result.promoted) {
            events.notPromoted(spec.promotion.registeredModel, Map.of(spec.promotion.metric, result.score),
                    result.championVersion, result.reason, ref);
        }
        status.promotion = result;
        status.modelVersion = result.version;
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("bellm.promotion.promoted", Boolean.toString(result.promoted));
        tags.put("bellm.promotion.reason", result.reason);
        tags.put("bellm.promotion.score", Double.toString(result.score));
        if (result.championScore != null) {
            tags.put("bellm.promotion.champion_score", Double.toString(result.championScore));
        }
        if (result.version != null) {
            tags.put("bellm.promotion.version", result.version);
        }
        tracking.setTags(status.runs.parent, tags);
        tracking.endRun(status.runs.parent, true);
        status.phase = Phase.Succeeded;
        status.message = result.promoted
                ? "promoted as " + spec.promotion.registeredModel + " version " + result.version + ": " + result.reason
                : "not promoted: " + result.reason;
    }

    /** The step as launched before, or launched now under a new child run. */
    private StepObservation ensure(ExperimentRef ref, BeLLMExperimentStatus status, StepId id,
                                   Function<String, StepLaunch> launch) {
        Optional<StepObservation> found = runner.find(id);
        if (found.isPresent()) {
            recordTimes(status, id, found.get());
            return found.get();
        }
        // a crash between this run and the launch leaves the run empty; the next attempt makes another
        String runId = tracking.startChildRun(status.runs.parent, id.name(), tags(ref, id.kind().id()));
        StepObservation launched = runner.launch(launch.apply(runId));
        recordTimes(status, id, launched);
        return launched;
    }

    /** The step's times as its runner reports them, in {@code status.steps}. */
    private static void recordTimes(BeLLMExperimentStatus status, StepId id, StepObservation step) {
        if (step.startedAt() == null) {
            return;
        }
        if (status.steps == null) {
            status.steps = new ArrayList<>();
        }
        StepTimes times = status.steps.stream().filter(t -> id.name().equals(t.step)).findFirst().orElseGet(() -> {
            StepTimes added = new StepTimes();
            added.step = id.name();
            status.steps.add(added);
            return added;
        });
        times.startedAt = step.startedAt().toString();
        if (step.finishedAt() != null) {
            times.finishedAt = step.finishedAt().toString();
            times.seconds = Duration.between(step.startedAt(), step.finishedAt()).toSeconds();
        }
    }

    private boolean finished(StepObservation step, StepId id, BeLLMExperimentStatus status) {
        if (step.state() == StepState.FAILED) {
            fail(status, id + " failed: " + step.message());
        }
        return step.state() == StepState.SUCCEEDED;
    }

    private void fail(BeLLMExperimentStatus status, String message) {
        status.phase = Phase.Failed;
        status.message = message;
        if (status.runs.parent != null) {
            tracking.setTags(status.runs.parent, Map.of("bellm.failure", message));
            tracking.endRun(status.runs.parent, false);
        }
    }

    private static Map<String, String> tags(ExperimentRef ref, String kind) {
        Map<String, String> tags = new LinkedHashMap<>(TrackingTags.experimentResource(ref.namespace(), ref.name(),
                ref.uid()));
        tags.put(TrackingTags.STEP_KIND, kind);
        tags.put("bellm.experiment.generation", Long.toString(ref.generation()));
        return tags;
    }

    private static Optional<Double> boxed(java.util.OptionalDouble value) {
        return value.isPresent() ? Optional.of(value.getAsDouble()) : Optional.empty();
    }
}
