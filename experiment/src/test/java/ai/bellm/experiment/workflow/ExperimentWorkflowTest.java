package ai.bellm.experiment.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.api.Phase;
import ai.bellm.api.StepPhase;
import ai.bellm.api.StepStatus;
import ai.bellm.tracking.MetricPoint;
import ai.bellm.tracking.ModelVersion;
import ai.bellm.tracking.TrackingTags;
import ai.bellm.tracking.TrackingUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The workflow on fake steps and a fake MLflow: decisions only, no Kubernetes. */
class ExperimentWorkflowTest {
    private static final ExperimentRef REF = new ExperimentRef("ns", "exp", "uid-1", 1);
    private static final StepId TRAIN = StepId.of(StepKind.TRAIN);
    private static final StepId EVALUATE = StepId.of(StepKind.EVALUATE);
    private final FakeRunner runner = new FakeRunner();
    private final FakeTracking tracking = new FakeTracking();
    private final RecordingModelEvents modelEvents = new RecordingModelEvents();
    private final ExperimentWorkflow workflow = new ExperimentWorkflow(tracking, runner, modelEvents);
    private final BeLLMExperimentSpec spec = Specs.tiny("/m", "/train.jsonl", "/dev.jsonl", "reg");
    private final BeLLMExperimentStatus status = new BeLLMExperimentStatus();

    @Test
    void runsEveryStepAndPromotesTheFirstModel() {
        advance();
        assertThat(status.phase).isEqualTo(Phase.Sweeping);
        assertThat(runner.launches).extracting(l -> l.id().name()).containsExactly("sweep-1", "sweep-2");
        assertThat(runner.launched(StepId.sweep(2, 2)).args()).containsSequence("--shard", "2/2");
        assertThat(tracking.runTags.get(runner.launched(StepId.sweep(1, 2)).runId()))
                .containsEntry("mlflow.parentRunId", status.runs.parent);
        assertThat(status.progress).isEqualTo("0/2 sweep shards done");

        finishSweep(50, 60, 60, 20);
        assertThat(status.phase).as("the turning point runs in process, training starts at once")
                .isEqualTo(Phase.Training);
        assertThat(status.turningPoint).isEqualTo(3);
        assertThat(status.dropObserved).isTrue();
        assertThat(status.bidirectionalFrom).as("the trainer's to decide, with the model's layer count").isNull();
        assertThat(status.sweep).extracting(p -> p.layers).containsExactly(1, 2, 3, 4);
        assertThat(status.sweepPeak.layers).isEqualTo(2);
        assertThat(status.message).isEqualTo("turning point 3 (peak 60.00 at 2 layers; 4 layers score 20.00, more"
                + " than sweep.maxDrop 3.0 below it): training with the layers above it bidirectional");
        StepLaunch train = runner.launched(TRAIN);
        assertThat(train.args()).containsSequence("--turning-point", "3").containsSequence("--max-steps", "4")
                .containsSequence("--out", "model").doesNotContain("--bidirectional-from");

        // what the trainer logs of the recipe it ran with: K = min(3, 4 - 2)
        tracking.params.put(train.runId(), Map.of("bidirectional_from", "2"));
        runner.finish(TRAIN, true, null);
        advance();
        assertThat(status.phase).isEqualTo(Phase.Evaluating);
        assertThat(status.bidirectionalFrom).isEqualTo(2);
        assertThat(tracking.runTags.get(status.runs.parent)).containsEntry("bellm.bidirectional_from", "2");
        StepLaunch eval = runner.launched(EVALUATE);
        assertThat(eval.args()).as("the package's own recipe, as trained")
                .containsSequence("--model", "runs:/" + train.runId() + "/model")
                .doesNotContain("--bidirectional-from", "--prompt", "--pooling", "--max-tokens");
        assertThat(eval.env()).containsEntry("BELLM_BASE_MODEL", "/m");

        tracking.metrics.put(eval.runId(), Map.of("average_spearman", 70.0));
        runner.finish(EVALUATE, true, null);
        advance();
        assertThat(status.phase).isEqualTo(Phase.Succeeded);
        assertThat(status.score).isEqualTo(70.0);
        assertThat(status.promotion.promoted).isTrue();
        assertThat(status.modelVersion).isEqualTo("1");
        assertThat(tracking.aliases).containsEntry("champion", "1");
        assertThat(tracking.versions.get(0).tags()).containsEntry("bellm.score.average_spearman", "70.0");
        assertThat(modelEvents.announced).containsExactly("promoted reg:1");
        assertThat(tracking.runStatus.get(status.runs.parent)).isEqualTo("FINISHED");
        assertThat(status.message).startsWith("promoted as reg version 1");
        assertThat(status.steps).extracting(s -> s.step, s -> s.state, s -> s.attempt)
                .containsExactly(tuple("sweep-1", StepPhase.Succeeded, 0), tuple("sweep-2", StepPhase.Succeeded, 0),
                        tuple("turning-point", StepPhase.Succeeded, 0), tuple("train", StepPhase.Succeeded, 0),
                        tuple("evaluate", StepPhase.Succeeded, 0), tuple("promote", StepPhase.Succeeded, 0));
        assertThat(status.steps).filteredOn(s -> !s.step.equals("turning-point") && !s.step.equals("promote"))
                .extracting(s -> s.startedAt, s -> s.finishedAt, s -> s.seconds)
                .containsOnly(tuple("2026-12-04T10:00:00Z", "2026-12-04T10:01:30Z", 90L));
        assertThat(status.steps).allSatisfy(s -> assertThat(s.inputs).hasSize(16));

        int launches = runner.launches.size();
        advance(); // a finished experiment's walk takes every step from the status
        assertThat(runner.launches).hasSize(launches);
        assertThat(modelEvents.announced).hasSize(1);
    }

    @Test
    void aNewMinGainAfterSuccessRerunsOnlyThePromotion() {
        tracking.versions.add(new ModelVersion("reg", "7", "older-run", "runs:/older-run/model", "READY", List.of(),
                Map.of("bellm.score.average_spearman", "69.0"), ""));
        tracking.aliases.put("champion", "7");
        spec.promotion.minGain = 5;
        runToTheEnd(70.0);
        assertThat(status.promotion.promoted).isFalse();
        assertThat(modelEvents.announced).containsExactly("not promoted reg");
        String promoteInputs = step("promote").inputs;
        List<String> sweepInputs = status.steps.stream().filter(s -> s.step.startsWith("sweep")).map(s -> s.inputs)
                .toList();

        spec.promotion.minGain = 0.5;
        advance();
        assertThat(runner.launches).as("no step relaunched").hasSize(2);
        assertThat(status.phase).isEqualTo(Phase.Succeeded);
        assertThat(status.promotion.promoted).isTrue();
        assertThat(status.modelVersion).isEqualTo("2");
        assertThat(modelEvents.announced).containsExactly("not promoted reg", "promoted reg:2");
        assertThat(step("promote").inputs).isNotEqualTo(promoteInputs);
        assertThat(status.steps.stream().filter(s -> s.step.startsWith("sweep")).map(s -> s.inputs))
                .containsExactlyElementsOf(sweepInputs);
        assertThat(tracking.reopened).as("the parent run, ended by the first promotion").containsExactly(
                status.runs.parent);
        assertThat(tracking.runStatus.get(status.runs.parent)).isEqualTo("FINISHED");
    }

    @Test
    void newEvaluationTasksRerunTheEvaluationAndThePromotionOnly() {
        runToTheEnd(70.0);
        String firstEvaluation = status.runs.evaluate;
        spec.evaluation.tasks = List.of("other=jsonl:/other.jsonl");
        advance();
        assertThat(status.phase).isEqualTo(Phase.Evaluating);
        assertThat(runner.launchesOf(TRAIN)).isEqualTo(1);
        assertThat(runner.launchesOf(EVALUATE)).isEqualTo(2);
        assertThat(runner.launched(EVALUATE).args()).contains("other=jsonl:/other.jsonl");
        assertThat(status.runs.evaluate).as("a new run for new inputs").isNotEqualTo(firstEvaluation);
        assertThat(status.progress).isEqualTo("evaluating");
    }

    @Test
    void aNewMaxDropRecomputesTheTurningPointWithoutSweepingAgain() {
        advance();
        finishSweep(50, 70, 70, 60);
        assertThat(status.turningPoint).as("a loss of 10 from the peak at 2 is a drop at 3 with maxDrop 3")
                .isEqualTo(3);
        spec.sweep.maxDrop = 10;
        advance();
        assertThat(status.turningPoint).isEqualTo(4);
        assertThat(runner.launches).extracting(l -> l.id().name())
                .containsExactly("sweep-1", "sweep-2", "train", "train");
        assertThat(runner.stopped).as("the training of the old turning point").containsExactly("train");
        assertThat(tracking.runStatus.get(runner.launches.get(2).runId())).isEqualTo("KILLED");
        assertThat(runner.launched(TRAIN).args()).containsSequence("--turning-point", "4");
    }

    @Test
    void fewerShardsRetireTheStepsNoLongerInTheSweep() {
        spec.sweep.shards = 3;
        advance();
        spec.sweep.shards = 2;
        advance();
        assertThat(runner.stopped).contains("sweep-3");
        assertThat(status.steps).extracting(s -> s.step).containsExactly("sweep-1", "sweep-2");
        assertThat(status.runs.sweep).hasSize(2);
    }

    @Test
    void aCurveWithoutDropHasItsLastLayerCountAsTurningPoint() {
        advance();
        finishSweep(50, 60, 70, 80);
        assertThat(status.turningPoint).isEqualTo(4);
        assertThat(status.dropObserved).isFalse();
        assertThat(status.message).contains("no drop");
        assertThat(runner.launched(TRAIN).args()).containsSequence("--turning-point", "4");
    }

    @Test
    void aTurningPointInTheSpecSkipsTheSweep() {
        spec.sweep.turningPoint = 2;
        advance();
        assertThat(status.phase).isEqualTo(Phase.Training);
        assertThat(runner.launches).extracting(l -> l.id().kind()).containsExactly(StepKind.TRAIN);
        assertThat(runner.launches.get(0).args()).containsSequence("--turning-point", "2");
    }

    @Test
    void aBidirectionalFromInTheSpecOverridesTheRuleAndTheSweepStillRecordsT() {
        spec.training.bidirectionalFrom = 1;
        advance();
        finishSweep(50, 70, 70, 60);
        assertThat(status.turningPoint).isEqualTo(3);
        assertThat(runner.launched(TRAIN).args()).containsSequence("--bidirectional-from", "1")
                .doesNotContain("--turning-point");
        assertThat(status.message).contains("turning point 3").contains("layers from 1 on bidirectional");
    }

    @Test
    void trainingProgressAndEtaComeFromTheTrainingRun() {
        spec.sweep.turningPoint = 2;
        advance();
        assertThat(status.progress).isEqualTo("training starts");
        String run = runner.launched(TRAIN).runId();
        tracking.params.put(run, Map.of("total_steps", "40"));
        // ten steps, two seconds apart: 30 steps left take a minute
        tracking.histories.put(run, Map.of(
                "loss", LongStream.rangeClosed(1, 10).mapToObj(s -> new MetricPoint("loss", 1.0 / s, s, 2000 * s))
                        .toList(),
                "tokens_per_s", List.of(new MetricPoint("tokens_per_s", 812.5, 10, 20_000))));
        advance();
        assertThat(status.training.step).isEqualTo(10);
        assertThat(status.training.totalSteps).isEqualTo(40);
        assertThat(status.training.loss).isEqualTo(0.1);
        assertThat(status.training.tokensPerSecond).isEqualTo(812.5);
        assertThat(status.training.etaSeconds).isEqualTo(60);
        assertThat(status.progress).isEqualTo("step 10/40 (25%), loss 0.100, ETA 1m");

        runner.finish(TRAIN, true, null);
        advance();
        assertThat(status.training).as("only while it trains").isNull();
    }

    @Test
    void suspendStopsTheRunningStepAndResumeContinuesItInItsRun() {
        spec.sweep.turningPoint = 2;
        advance();
        StepLaunch first = runner.launched(TRAIN);
        spec.suspend = true;
        advance();
        assertThat(status.phase).isEqualTo(Phase.Suspended);
        assertThat(status.progress).isEqualTo("suspended");
        assertThat(status.message).contains("suspended in phase Training, stopped train");
        assertThat(runner.stopped).containsExactly("train");
        assertThat(runner.steps).isEmpty();
        assertThat(tracking.runStatus.get(first.runId())).isEqualTo("KILLED");
        assertThat(tracking.runTags.get(first.runId())).containsKey(TrackingTags.KILLED_REASON);
        assertThat(step("train").state).isEqualTo(StepPhase.Suspended);
        advance(); // nothing more happens while suspended
        assertThat(runner.launches).hasSize(1);

        spec.suspend = false;
        advance();
        assertThat(status.phase).isEqualTo(Phase.Training);
        StepLaunch resumed = runner.launched(TRAIN);
        assertThat(runner.launches).hasSize(2);
        assertThat(resumed.runId()).as("the same run: the trainer resumes its last checkpoint")
                .isEqualTo(first.runId());
        assertThat(resumed.key().instance()).isNotEqualTo(first.key().instance());
        assertThat(resumed.key().inputs()).isEqualTo(first.key().inputs());
        assertThat(tracking.runStatus.get(first.runId())).isEqualTo("RUNNING");
        assertThat(step("train").attempt).isEqualTo(1);
    }

    @Test
    void aFailedStepFailsTheExperimentWithItsMessage() {
        advance();
        runner.finish(StepId.sweep(2, 2), false, "BackoffLimitExceeded; pod: Error exit 2: --layers 1-40 beyond 4");
        advance();
        assertThat(status.phase).isEqualTo(Phase.Failed);
        assertThat(status.message).isEqualTo("sweep shard 2/2 failed: BackoffLimitExceeded; pod: Error exit 2:"
                + " --layers 1-40 beyond 4");
        assertThat(step("sweep-2").message)
                .isEqualTo("BackoffLimitExceeded; pod: Error exit 2: --layers 1-40 beyond 4");
        assertThat(tracking.runStatus.get(status.runs.parent)).isEqualTo("FAILED");
        assertThat(modelEvents.announced).containsExactly("failed reg: " + status.message);
        advance(); // a terminal experiment announces nothing more
        assertThat(modelEvents.announced).hasSize(1);
    }

    @Test
    void aRetriedExperimentReRunsOnlyItsFailedStepInTheSameRun() {
        advance();
        String failedRun = runner.launched(StepId.sweep(2, 2)).runId();
        runner.finish(StepId.sweep(1, 2), true, null);
        runner.finish(StepId.sweep(2, 2), false, "OOMKilled");
        advance();
        assertThat(status.phase).isEqualTo(Phase.Failed);

        assertThat(ExperimentWorkflow.retryFailedSteps(status)).containsExactly("sweep-2");
        advance();
        assertThat(status.phase).isEqualTo(Phase.Sweeping);
        assertThat(runner.launches).extracting(l -> l.id().name()).containsExactly("sweep-1", "sweep-2", "sweep-2");
        assertThat(runner.launched(StepId.sweep(2, 2)).runId()).isEqualTo(failedRun);
        assertThat(tracking.runStatus.get(status.runs.parent)).isEqualTo("RUNNING");
        assertThat(step("sweep-2").attempt).isEqualTo(1);
        assertThat(step("sweep-1").state).isEqualTo(StepPhase.Succeeded);
    }

    @Test
    void anInvalidSpecFailsBeforeAnyRunOrStep() {
        spec.data.train = List.of("no-format-here");
        spec.sweep.layers = "3-1";
        advance();
        assertThat(status.phase).isEqualTo(Phase.Failed);
        assertThat(status.message).contains("data.train").contains("sweep.layers: bad range '3-1'");
        assertThat(runner.launches).isEmpty();
        assertThat(tracking.runTags).isEmpty();
        assertThat(modelEvents.announced).singleElement().asString().startsWith("failed reg: invalid spec");
    }

    @Test
    void aRestartedWorkflowFindsItsStepsInsteadOfLaunchingThemAgain() {
        advance();
        List<String> runIds = List.copyOf(status.runs.sweep);
        status.steps = null; // as if the status patch after the launch had been lost
        new ExperimentWorkflow(tracking, runner, modelEvents).advance(REF, spec, status);
        assertThat(runner.launches).hasSize(2);
        assertThat(status.runs.sweep).isEqualTo(runIds);
        assertThat(tracking.runTags).hasSize(3); // parent + 2 shards, none created twice
    }

    @Test
    void mlflowDownKeepsThePhaseForARetry() {
        advance();
        tracking.down = true;
        runner.finish(StepId.sweep(1, 2), true, null);
        runner.finish(StepId.sweep(2, 2), true, null);
        assertThatThrownBy(this::advance).isInstanceOf(TrackingUnavailableException.class);
    }

    private void runToTheEnd(double score) {
        spec.sweep.turningPoint = 2;
        advance();
        runner.finish(TRAIN, true, null);
        advance();
        tracking.metrics.put(runner.launched(EVALUATE).runId(), Map.of("average_spearman", score));
        runner.finish(EVALUATE, true, null);
        advance();
        assertThat(status.phase).isEqualTo(Phase.Succeeded);
    }

    private StepStatus step(String name) {
        return status.steps.stream().filter(s -> s.step.equals(name)).findFirst().orElseThrow();
    }

    /** Both shards log their pairs' cosines; over all pairs, Spearman x100 at n = 1..4 is {@code curve}. */
    private void finishSweep(double... curve) {
        tracking.sweepPairs.put(status.runs.sweep.get(0), ShardedSweep.withCurve(1, 2, curve));
        tracking.sweepPairs.put(status.runs.sweep.get(1), ShardedSweep.withCurve(2, 2, curve));
        runner.finish(StepId.sweep(1, 2), true, null);
        runner.finish(StepId.sweep(2, 2), true, null);
        advance();
    }

    private void advance() {
        workflow.advance(REF, spec, status);
    }
}
