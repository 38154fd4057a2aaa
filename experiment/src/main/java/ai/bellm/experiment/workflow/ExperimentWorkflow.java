package ai.bellm.experiment.workflow;

import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.api.Phase;
import ai.bellm.api.PromotionStatus;
import ai.bellm.api.StepPhase;
import ai.bellm.api.StepStatus;
import ai.bellm.api.SweepPoint;
import ai.bellm.io.Sha256;
import ai.bellm.metrics.CurvePoint;
import ai.bellm.tracking.TrackingTags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The experiment's workflow, wherever its steps run: sweep → turning point → train → evaluate → promote.
 * Each {@link #advance} walks the steps in that order, like a build: a step that succeeded on the same inputs (the
 * digest in {@code status.steps}) is taken as it is, the first one that has not is launched (or waited for), and the
 * walk stops there. So a spec change reruns exactly the steps whose inputs changed, e.g. only the promotion after a
 * new {@code promotion.minGain}. A retried or resumed step runs again in its own MLflow run, where training finds
 * its last checkpoint. Everything the walk decides from is in the status, the runner's steps and MLflow, so a
 * restarted caller continues where the last one stopped.
 */
public final class ExperimentWorkflow {
    /** The steps that run in this process, between and after the workers' steps. */
    static final String TURNING_POINT = "turning-point";
    static final String PROMOTE = "promote";

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
     * Marks every failed step for another attempt, which the next {@link #advance} launches in the step's own run.
     * Returns the steps marked.
     */
    public static List<String> retryFailedSteps(BeLLMExperimentStatus status) {
        List<String> retried = new ArrayList<>();
        for (StepStatus step : Objects.requireNonNullElse(status.steps, List.<StepStatus>of())) {
            if (step.state == StepPhase.Failed) {
                step.attempt++;
                step.state = StepPhase.Retrying;
                step.message = null;
                retried.add(step.step);
            }
        }
        return retried;
    }

    /**
     * Walks the steps as far as they are done, launching the next one; an experiment that fails or is not promoted
     * is announced.
     *
     * @throws ai.bellm.tracking.TrackingException when MLflow fails; {@code status} may then be half updated
     */
    public void advance(ExperimentRef ref, BeLLMExperimentSpec spec, BeLLMExperimentStatus status) {
        Phase before = status.phase == null ? Phase.Pending : status.phase;
        status.phase = new Walk(ref, spec, status, before).run();
        if (status.phase != Phase.Training) {
            status.training = null;
        }
        if (before != Phase.Failed && status.phase == Phase.Failed) {
            events.failed(spec.promotion == null ? null : spec.promotion.registeredModel, status.message, ref);
        }
    }

    /** One walk over the steps of one experiment. */
    private final class Walk {
        private final ExperimentRef ref;
        private final BeLLMExperimentSpec spec;
        private final BeLLMExperimentStatus status;
        private final Phase before;
        /** The parent run ended with the last walk (Succeeded or Failed): reopened before anything runs again. */
        private boolean parentEnded;

        Walk(ExperimentRef ref, BeLLMExperimentSpec spec, BeLLMExperimentStatus status, Phase before) {
            this.ref = ref;
            this.spec = spec;
            this.status = status;
            this.before = before;
            this.parentEnded = before.terminal();
        }

        Phase run() {
            List<String> problems = SpecValidator.problems(spec);
            if (!problems.isEmpty()) {
                return fail("invalid spec: " + String.join("; ", problems));
            }
            if (spec.suspend) {
                return suspend();
            }
            if (status.runs.parent == null) {
                status.runs.parent = tracking.startParentRun(mlflowExperiment(ref, spec), ref.name(),
                        tags("experiment"));
                parentEnded = false;
            }
            Phase reached = sweep().or(this::train).or(this::evaluate).or(this::promote).orElse(Phase.Succeeded);
            if (reached == Phase.Succeeded) {
                status.progress = "done";
            }
            return reached;
        }

        /** Stops the running steps; each continues, in its run, with its next attempt once resumed. */
        private Phase suspend() {
            if (before.terminal()) {
                return before; // nothing runs
            }
            List<String> stopped = new ArrayList<>();
            for (StepStatus step : steps()) {
                if (step.state != StepPhase.Running) {
                    continue;
                }
                runner.stop(step.step);
                if (step.runId != null) {
                    tracking.kill(step.runId, "suspended: spec.suspend is true");
                }
                step.state = StepPhase.Suspended;
                step.attempt++;
                stopped.add(step.step);
            }
            if (before != Phase.Suspended) {
                status.message = "suspended in phase " + before + (stopped.isEmpty() ? ""
                        : ", stopped " + String.join(", ", stopped)) + "; spec.suspend=false resumes";
            }
            status.progress = "suspended";
            return Phase.Suspended;
        }

        private Optional<Phase> sweep() {
            Integer known = spec.sweep.turningPoint;
            if (known != null) {
                retireSteps(name -> isSweepStep(name), "the spec gives the turning point");
                status.runs.sweep = new ArrayList<>();
                status.sweep = null;
                status.sweepPeak = null;
                status.dropObserved = null;
                status.turningPoint = known;
                return Optional.empty();
            }
            StepCommands commands = new StepCommands(spec);
            int shards = spec.sweep.shards;
            List<StepObservation> steps = new ArrayList<>();
            for (int shard = 1; shard <= shards; shard++) {
                steps.add(ensure(StepId.sweep(shard, shards), commands.sweep(shard, shards), Map.of(), false,
                        run -> null));
            }
            Set<String> current = steps.isEmpty() ? Set.of() : java.util.stream.IntStream.rangeClosed(1, shards)
                    .mapToObj(s -> StepId.sweep(s, shards).name()).collect(Collectors.toSet());
            retireSteps(name -> isSweepStep(name) && !current.contains(name), "sweep.shards changed");
            status.runs.sweep = steps.stream().map(StepObservation::runId).toList();
            for (int i = 0; i < shards; i++) {
                if (steps.get(i).state() == StepState.FAILED) {
                    return Optional.of(fail(StepId.sweep(i + 1, shards) + " failed: " + steps.get(i).message()));
                }
            }
            long done = steps.stream().filter(s -> s.state() == StepState.SUCCEEDED).count();
            if (done < shards) {
                status.message = "sweeping in " + shards + " shard(s)";
                status.progress = done + "/" + shards + " sweep shards done";
                return Optional.of(Phase.Sweeping);
            }
            return turningPoint();
        }

        /** The turning point from the shards' pair cosines, in this process. */
        private Optional<Phase> turningPoint() {
            String inputs = digest(String.join(",", status.runs.sweep), Double.toString(spec.sweep.maxDrop),
                    steps().stream().filter(s -> isSweepStep(s.step)).map(s -> s.inputs)
                            .collect(Collectors.joining(",")));
            if (succeeded(TURNING_POINT, inputs)) {
                return Optional.empty();
            }
            Instant started = Instant.now();
            SweepOutcome outcome;
            try {
                outcome = SweepOutcome.of(status.runs.sweep.stream().map(tracking::sweepPairs).toList(),
                        spec.sweep.maxDrop);
            } catch (IllegalStateException e) {
                String message = "sweep: " + e.getMessage();
                record(TURNING_POINT, inputs, StepPhase.Failed, started, message);
                return Optional.of(fail(message));
            }
            status.sweep = outcome.curve().stream().map(p -> new SweepPoint(p.layers(), p.score())).toList();
            CurvePoint peak = outcome.turningPoint().peak();
            status.sweepPeak = new SweepPoint(peak.layers(), peak.score());
            status.turningPoint = outcome.turningPoint().point().layers();
            status.dropObserved = outcome.turningPoint().dropObserved();
            tracking.setTags(status.runs.parent, Map.of("bellm.turning_point", status.turningPoint.toString()));
            record(TURNING_POINT, inputs, StepPhase.Succeeded, started, null);
            return Optional.empty();
        }

        private Optional<Phase> train() {
            StepId id = StepId.of(StepKind.TRAIN);
            StepObservation step = ensure(id, new StepCommands(spec).train(status.turningPoint), Map.of(),
                    spec.resources.gpus > 0, this::readBidirectionalFrom);
            status.runs.train = step.runId();
            return switch (step.state()) {
                case FAILED -> Optional.of(fail(id + " failed: " + step.message()));
                case RUNNING -> {
                    status.message = whyTurningPoint(spec, status) + (spec.training.bidirectionalFrom == null
                            ? ": training with the layers above it bidirectional"
                            : "; training with layers from " + spec.training.bidirectionalFrom
                                    + " on bidirectional (training.bidirectionalFrom)");
                    TrainingMetrics.read(tracking, step.runId()).ifPresentOrElse(p -> {
                        status.training = p.status();
                        status.progress = p.describe();
                    }, () -> status.progress = "training starts");
                    yield Optional.of(Phase.Training);
                }
                case SUCCEEDED -> Optional.empty();
            };
        }

        /** K is the trainer's: it applies the rule with the model's layer count and logs the recipe it ran with. */
        private String readBidirectionalFrom(String trainRun) {
            String k = tracking.param(trainRun, "bidirectional_from").orElse("none");
            status.bidirectionalFrom = "none".equals(k) ? null : Integer.valueOf(k);
            tracking.setTags(status.runs.parent, Map.of("bellm.bidirectional_from", k));
            return null;
        }

        private Optional<Phase> evaluate() {
            StepId id = StepId.of(StepKind.EVALUATE);
            StepCommands commands = new StepCommands(spec);
            StepObservation step = ensure(id, commands.evaluate(status.runs.train), commands.evaluateEnv(), false,
                    this::readScore);
            status.runs.evaluate = step.runId();
            return switch (step.state()) {
                case FAILED -> Optional.of(fail(id + " failed: " + step.message()));
                case RUNNING -> {
                    status.message = "trained with layers from "
                            + Objects.requireNonNullElse(status.bidirectionalFrom, "none") + " on bidirectional;"
                            + " evaluating";
                    status.progress = "evaluating";
                    yield Optional.of(Phase.Evaluating);
                }
                case SUCCEEDED -> Optional.empty();
            };
        }

        /** The promotion metric, or why there is none. */
        private String readScore(String evaluateRun) {
            String metric = spec.promotion.metric;
            var score = tracking.lastMetric(evaluateRun, metric);
            if (score.isEmpty()) {
                return "the evaluation logged no '" + metric + "' (the promotion metric)";
            }
            status.score = score.getAsDouble();
            return null;
        }

        private Optional<Phase> promote() {
            String inputs = digest(spec.promotion.registeredModel, spec.promotion.metric,
                    Double.toString(spec.promotion.minGain), status.runs.train, Double.toString(status.score));
            if (succeeded(PROMOTE, inputs)) {
                return Optional.empty();
            }
            Instant started = Instant.now();
            reopenParent();
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
            parentEnded = true;
            record(PROMOTE, inputs, StepPhase.Succeeded, started, null);
            status.message = result.promoted
                    ? "promoted as " + spec.promotion.registeredModel + " version " + result.version + ": "
                    + result.reason : "not promoted: " + result.reason;
            return Optional.empty();
        }

        /**
         * The step as it stands: taken from the status if it succeeded or failed on these inputs; else found, or
         * launched. A retry or resume of the same inputs continues the step's run; a step of changed inputs
         * replaces the earlier one (stopped, its run KILLED) under a new run.
         *
         * @param outputs reads what a step that just succeeded produced into the status; returns why the step
         *                counts as failed after all, or null
         */
        private StepObservation ensure(StepId id, List<String> args, Map<String, String> env, boolean gpu,
                                       Function<String, String> outputs) {
            String inputs = StepKey.digest(status.runs.parent, id, args, env, gpu);
            StepStatus known = step(id.name()).orElse(null);
            boolean same = known != null && inputs.equals(known.inputs);
            if (same && (known.state == StepPhase.Succeeded || known.state == StepPhase.Failed)) {
                return new StepObservation(known.state == StepPhase.Succeeded ? StepState.SUCCEEDED : StepState.FAILED,
                        known.runId, known.message, instant(known.startedAt), instant(known.finishedAt));
            }
            StepKey key = new StepKey(id, inputs, same ? known.attempt : 0);
            StepObservation seen = runner.find(key).orElse(null);
            if (seen == null) {
                reopenParent();
                String runId;
                if (same && known.runId != null) {
                    tracking.reopen(known.runId); // training continues from the checkpoints in its run
                    runId = known.runId;
                } else {
                    if (known != null) {
                        retire(known, "replaced: the step's inputs changed");
                    }
                    // a crash between this run and the launch leaves the run empty; the next attempt makes another
                    runId = tracking.startChildRun(status.runs.parent, id.name(), tags(id.kind().id()));
                }
                seen = runner.launch(new StepLaunch(key, args, env, runId, gpu));
            }
            if (seen.state() == StepState.SUCCEEDED) {
                String problem = outputs.apply(seen.runId());
                if (problem != null) {
                    seen = new StepObservation(StepState.FAILED, seen.runId(), problem, seen.startedAt(),
                            seen.finishedAt());
                }
            }
            StepStatus step = record(id.name(), inputs, phaseOf(seen.state()), seen.startedAt(),
                    seen.state() == StepState.FAILED ? seen.message() : null);
            step.attempt = key.attempt();
            step.runId = seen.runId();
            step.finishedAt = seen.finishedAt() == null ? null : seen.finishedAt().toString();
            step.seconds = seen.startedAt() == null || seen.finishedAt() == null ? null
                    : Duration.between(seen.startedAt(), seen.finishedAt()).toSeconds();
            return seen;
        }

        /** Stops the recorded steps that {@code which} names and drops their records. */
        private void retireSteps(java.util.function.Predicate<String> which, String reason) {
            for (StepStatus step : List.copyOf(steps())) {
                if (which.test(step.step)) {
                    retire(step, reason);
                    status.steps.remove(step);
                }
            }
        }

        private void retire(StepStatus step, String reason) {
            runner.stop(step.step);
            if (step.state == StepPhase.Running && step.runId != null) {
                tracking.kill(step.runId, reason);
            }
        }

        private boolean succeeded(String name, String inputs) {
            return step(name).filter(s -> inputs.equals(s.inputs) && s.state == StepPhase.Succeeded).isPresent();
        }

        /** The step's record with these inputs and state, added if new; an in-process step's times are now. */
        private StepStatus record(String name, String inputs, StepPhase state, Instant started, String message) {
            StepStatus step = step(name).orElseGet(() -> {
                StepStatus added = new StepStatus();
                added.step = name;
                steps().add(added);
                return added;
            });
            if (!inputs.equals(step.inputs)) {
                step.attempt = 0;
                step.runId = null;
            }
            step.inputs = inputs;
            step.state = state;
            step.message = message;
            step.startedAt = started == null ? null : started.toString();
            if (state != StepPhase.Running) {
                Instant finished = Instant.now();
                step.finishedAt = finished.toString();
                step.seconds = started == null ? null : Duration.between(started, finished).toSeconds();
            }
            return step;
        }

        private Optional<StepStatus> step(String name) {
            return steps().stream().filter(s -> name.equals(s.step)).findFirst();
        }

        private List<StepStatus> steps() {
            if (status.steps == null) {
                status.steps = new ArrayList<>();
            }
            return status.steps;
        }

        private void reopenParent() {
            if (parentEnded) {
                tracking.reopen(status.runs.parent);
                parentEnded = false;
            }
        }

        private Phase fail(String message) {
            status.message = message;
            status.progress = "failed";
            if (status.runs.parent != null && !parentEnded) {
                tracking.setTags(status.runs.parent, Map.of("bellm.failure", message));
                tracking.endRun(status.runs.parent, false);
                parentEnded = true;
            }
            return Phase.Failed;
        }

        private Map<String, String> tags(String kind) {
            Map<String, String> tags = new LinkedHashMap<>(TrackingTags.experimentResource(ref.namespace(),
                    ref.name(), ref.uid()));
            tags.put(TrackingTags.STEP_KIND, kind);
            tags.put("bellm.experiment.generation", Long.toString(ref.generation()));
            return tags;
        }
    }

    /** Why t is what it is: the spec's, or the sweep's peak and the drop after t. */
    private static String whyTurningPoint(BeLLMExperimentSpec spec, BeLLMExperimentStatus status) {
        int t = status.turningPoint;
        if (spec.sweep.turningPoint != null) {
            return "turning point " + t + " given by the spec (no sweep)";
        }
        String peak = String.format(Locale.ROOT, "peak %.2f at %d layers", status.sweepPeak.spearman,
                status.sweepPeak.layers);
        Optional<SweepPoint> after = status.sweep.stream().filter(p -> p.layers > t).findFirst();
        if (!Boolean.TRUE.equals(status.dropObserved) || after.isEmpty()) {
            return "no drop up to " + t + " layers (" + peak + ")";
        }
        return String.format(Locale.ROOT, "turning point %d (%s; %d layers score %.2f, more than sweep.maxDrop %s"
                + " below it)", t, peak, after.get().layers, after.get().spearman, spec.sweep.maxDrop);
    }

    private static boolean isSweepStep(String name) {
        return name.startsWith(StepKind.SWEEP.id() + "-");
    }

    private static StepPhase phaseOf(StepState state) {
        return switch (state) {
            case RUNNING -> StepPhase.Running;
            case SUCCEEDED -> StepPhase.Succeeded;
            case FAILED -> StepPhase.Failed;
        };
    }

    private static String digest(String... parts) {
        return Sha256.hex(String.join("\n", parts)).substring(0, 16);
    }

    private static Instant instant(String time) {
        return time == null ? null : Instant.parse(time);
    }
}
