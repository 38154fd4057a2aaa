package ai.bellm.experiment.workflow;

import ai.bellm.api.PromotionSpec;
import ai.bellm.api.PromotionStatus;
import ai.bellm.tracking.ModelRegistry;
import ai.bellm.tracking.ModelVersion;
import ai.bellm.tracking.TrackingException;
import ai.bellm.tracking.TrackingTags;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Compares the trained model with the registered model's {@code @champion} and, when it wins, registers it, moves
 * {@code champion} to it (the old one becomes {@code previous}) and announces it. The move is a compare and set: if
 * another promotion moved the champion since it was read, the model is compared again with the new one. Safe to
 * repeat after a failure at any point: the version is looked up by its training run before one is registered, and a
 * champion that already is this run's version means the aliases moved in an earlier attempt (the event is then sent
 * again).
 */
final class Promoter {
    /** Champions that moved under one promotion before it gives up (and is retried by the reconcile). */
    private static final int MAX_ATTEMPTS = 5;

    private final WorkflowTracking tracking;
    private final ModelEvents events;

    Promoter(WorkflowTracking tracking, ModelEvents events) {
        this.tracking = tracking;
        this.events = events;
    }

    PromotionStatus promote(ExperimentRef ref, PromotionSpec spec, String trainRunId, double score) {
        String model = spec.registeredModel;
        for (int attempt = 1; ; attempt++) {
            Optional<ModelVersion> champion = tracking.versionByAlias(model, ModelRegistry.CHAMPION);
            boolean movedEarlier = champion.isPresent() && trainRunId.equals(champion.get().runId());
            PromotionDecision decision;
            if (movedEarlier) {
                Optional<ModelVersion> previous = tracking.versionByAlias(model, ModelRegistry.PREVIOUS);
                decision = PromotionDecision.decide(spec.metric, score, previous, spec.minGain);
                decision = new PromotionDecision(true, decision.reason(), decision.championVersion(),
                        decision.championScore());
            } else {
                decision = PromotionDecision.decide(spec.metric, score, champion, spec.minGain);
            }
            PromotionStatus status = new PromotionStatus();
            status.promoted = decision.promote();
            status.reason = decision.reason();
            status.championVersion = decision.championVersion();
            status.championScore = decision.championScore();
            status.score = score;
            if (!decision.promote()) {
                return status;
            }
            Map<String, String> tags = new LinkedHashMap<>(TrackingTags.experimentResource(ref.namespace(), ref.name(),
                    ref.uid()));
            tags.put(PromotionDecision.scoreTag(spec.metric), Double.toString(score));
            ModelVersion version = tracking.registerVersion(model, trainRunId, StepCommands.MODEL_ARTIFACT, tags);
            if (movedEarlier || tracking.moveAlias(model, ModelRegistry.CHAMPION,
                    champion.map(ModelVersion::version), version.version(), ModelRegistry.PREVIOUS)) {
                events.promoted(model, version.version(), Map.of(spec.metric, score), ref);
                status.version = version.version();
                return status;
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new TrackingException("the champion of model " + model + " moved " + MAX_ATTEMPTS
                        + " times while this promotion compared against it");
            }
        }
    }
}
