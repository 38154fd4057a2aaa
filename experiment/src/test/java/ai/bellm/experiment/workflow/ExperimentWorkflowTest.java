package ai.bellm.experiment.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.api.Phase;
import ai.bellm.metrics.CurvePoint;
import ai.bellm.tracking.TrackingUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state machine on fake steps and a fake MLflow: decisions only, no Kubernetes. */
class ExperimentWorkflowTest {
    private static final ExperimentRef REF = new ExperimentRef("ns", "exp", "uid-1", 1);
    private final FakeRunner runner = new FakeRunner();
    private final FakeTracking tracking = new FakeTracking();
    private final RecordingModelEvents modelEvents = new RecordingModelEvents();
    private final ExperimentWorkflow workflow = new ExperimentWorkflow(tracking, runner, modelEvents);
    private final BeLLMExperimentSpec spec = Specs.tiny("/m", "/train.jsonl", "/dev.jsonl", "reg");
    private final BeLLMExperimentStatus status = new BeLLMExperimentStatus();

    @Test
    void runsEveryPhaseAndPromotesTheFirstModel() {
        advance();
        assertThat(status.phase).isEqualTo(Phase.Sweeping);
        assertThat(runner.launches).isEmpty();
        advance();
        assertThat(runner.launches).extracting(l -> l.id().name()).containsExactly("sweep-1", "sweep-2");
        assertThat(runner.launched(StepId.sweep(2, 2)).args()).containsSequence("--shard", "2/2");
        assertThat(tracking.runTags.get(runner.launched(StepId.sweep(1, 2)).runId()))
                .containsEntry("mlflow.parentRunId", status.runs.parent);

        finishSweep(List.of(new CurvePoint(1, 50), new CurvePoint(2, 60)),
                List.of(new CurvePoint(3, 59), new CurvePoint(4, 20)));
        assertThat(status.phase).isEqualTo(Phase.Training);
        assertThat(status.turningPoint).isEqualTo(3);
        assertThat(status.dropObserved).isTrue();
        assertThat(status.bidirectionalFrom).as("the trainer's to decide, with the model's layer count").isNull();
        assertThat(status.sweep).extracting(p -> p.layers).containsExactly(1, 2, 3, 4);

        advance();
        StepLaunch train = runner.launched(StepId.of(StepKind.TRAIN));
        assertThat(train.args()).containsSequence("--turning-point", "3").containsSequence("--max-steps", "4")
                .containsSequence("--out", "model").doesNotContain("--bidirectional-from");
        // what the trainer logs of the recipe it ran with: K = min(3, 4 - 2)
        tracking.params.put(train.runId(), Map.of("bidirectional_from", "2"));
        runner.finish(train.id(), true, null);
        advance();
        assertThat(status.phase).isEqualTo(Phase.Evaluating);
        assertThat(status.bidirectionalFrom).isEqualTo(2);
        assertThat(tracking.runTags.get(status.runs.parent)).containsEntry("bellm.bidirectional_from", "2");

        advance();
        StepLaunch eval = runner.launched(StepId.of(StepKind.EVALUATE));
        assertThat(eval.args()).as("the package's own recipe, as trained")
                .containsSequence("--model", "runs:/" + train.runId() + "/model")
                .doesNotContain("--bidirectional-from", "--prompt", "--pooling", "--max-tokens");
        assertThat(eval.env()).containsEntry("BELLM_BASE_MODEL", "/m");
        tracking.metrics.put(eval.runId(), Map.of("average_spearman", 70.0));
        runner.finish(eval.id(), true, null);
        advance();
        assertThat(status.phase).isEqualTo(Phase.Promoting);
        assertThat(status.score).isEqualTo(70.0);

        advance();
        assertThat(status.phase).isEqualTo(Phase.Succeeded);
        assertThat(status.promotion.promoted).isTrue();
        assertThat(status.modelVersion).isEqualTo("1");
        assertThat(tracking.aliases).containsEntry("champion", "1");
        assertThat(tracking.versions.get(0).tags()).containsEntry("bellm.score.average_spearman", "70.0");
        assertThat(modelEvents.announced).containsExactly("promoted reg:1");
        assertThat(tracking.runStatus.get(status.runs.parent)).isEqualTo("FINISHED");
        assertThat(status.message).startsWith("promoted as reg version 1");
        assertThat(status.steps).extracting(t -> t.step, t -> t.startedAt, t -> t.finishedAt, t -> t.seconds)
                .containsExactly(tuple("sweep-1", "2026-12-04T10:00:00Z", "2026-12-04T10:01:30Z", 90L),
                        tuple("sweep-2", "2026-12-04T10:00:00Z", "2026-12-04T10:01:30Z", 90L),
                        tuple("train", "2026-12-04T10:00:00Z", "2026-12-04T10:01:30Z", 90L),
                        tuple("evaluate", "2026-12-04T10:00:00Z", "2026-12-04T10:01:30Z", 90L));
    }

    @Test
    void aCurveWithoutDropHasItsLastLayerCountAsTurningPoint() {
        advance();
        advance();
        finishSweep(List.of(new CurvePoint(1, 50), new CurvePoint(2, 55)),
                List.of(new CurvePoint(3, 58), new CurvePoint(4, 60)));
        assertThat(status.turningPoint).isEqualTo(4);
        assertThat(status.dropObserved).isFalse();
        assertThat(status.message).contains("no drop");
        advance();
        assertThat(runner.launched(StepId.of(StepKind.TRAIN)).args()).containsSequence("--turning-point", "4");
    }

    @Test
    void aTurningPointInTheSpecSkipsTheSweep() {
        spec.sweep.turningPoint = 2;
        advance();
        assertThat(status.phase).isEqualTo(Phase.Training);
        advance();
        assertThat(runner.launches).extracting(l -> l.id().kind()).containsExactly(StepKind.TRAIN);
        assertThat(runner.launches.get(0).args()).containsSequence("--turning-point", "2");
    }

    @Test
    void aFailedStepFailsTheExperimentWithItsMessage() {
        advance();
        advance();
        runner.finish(StepId.sweep(2, 2), false, "BackoffLimitExceeded; pod: Error exit 2: --layers 1-40 beyond 4");
        advance();
        assertThat(status.phase).isEqualTo(Phase.Failed);
        assertThat(status.message).isEqualTo("sweep shard 2/2 failed: BackoffLimitExceeded; pod: Error exit 2:"
                + " --layers 1-40 beyond 4");
        assertThat(tracking.runStatus.get(status.runs.parent)).isEqualTo("FAILED");
        assertThat(modelEvents.announced).containsExactly("failed reg: " + status.message);
        advance(); // a terminal experiment announces nothing more
        assertThat(modelEvents.announced).hasSize(1);
    }

    @Test
    void anInvalidSpecFailsBeforeAnyRunOrStep() {
        spec.data.train = List.of("no-format-here");
        spec.sweep.layers = "1-3";
        spec.sweep.shards = 5;
        advance();
        assertThat(status.phase).isEqualTo(Phase.Failed);
        assertThat(status.message).contains("data.train").contains("sweep.shards 5 exceeds the 3 layer counts");
        assertThat(runner.launches).isEmpty();
        assertThat(tracking.runTags).isEmpty();
        assertThat(modelEvents.announced).singleElement().asString().startsWith("failed reg: invalid spec");
    }

    @Test
    void aRestartedWorkflowFindsItsStepsInsteadOfLaunchingThemAgain() {
        advance();
        advance();
        List<String> runIds = List.copyOf(status.runs.sweep);
        new ExperimentWorkflow(tracking, runner, modelEvents).advance(REF, spec, status);
        assertThat(runner.launches).hasSize(2);
        assertThat(status.runs.sweep).isEqualTo(runIds);
        assertThat(tracking.runTags).hasSize(3); // parent + 2 shards, none created twice
    }

    @Test
    void mlflowDownKeepsThePhaseForARetry() {
        advance();
        advance();
        tracking.down = true;
        runner.finish(StepId.sweep(1, 2), true, null);
        runner.finish(StepId.sweep(2, 2), true, null);
        assertThatThrownBy(this::advance).isInstanceOf(TrackingUnavailableException.class);
    }

    private void finishSweep(List<CurvePoint> shard1, List<CurvePoint> shard2) {
        tracking.curves.put(status.runs.sweep.get(0), shard1);
        tracking.curves.put(status.runs.sweep.get(1), shard2);
        runner.finish(StepId.sweep(1, 2), true, null);
        runner.finish(StepId.sweep(2, 2), true, null);
        advance();
    }

    private void advance() {
        workflow.advance(REF, spec, status);
    }
}
