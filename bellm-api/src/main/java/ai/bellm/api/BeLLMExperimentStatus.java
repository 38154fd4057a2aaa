package ai.bellm.api;

import ai.bellm.recipe.BidirectionalLayers;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
/** Where the experiment is and what it found; written by the operator only. */
public class BeLLMExperimentStatus {
    public Phase phase;

    @JsonPropertyDescription("The spec generation last reconciled. A newer one reruns only the steps whose inputs"
            + " changed, and retries the failed ones.")
    public Long observedGeneration;

    @JsonPropertyDescription("The value of the annotation " + BeLLMExperiment.RETRY_ANNOTATION + " last acted on:"
            + " a new value retries a Failed experiment from its failed steps.")
    public String retried;

    @JsonPropertyDescription("Ready, Progressing and Failed, Kubernetes style.")
    public List<Condition> conditions = new ArrayList<>();

    public String message;

    @JsonPropertyDescription("One line on the current phase, e.g. the training's step of total and ETA.")
    public String progress;

    @JsonPropertyDescription("The training while it runs.")
    public TrainingProgress training;

    @JsonPropertyDescription("The merged degradation curve.")
    public List<SweepPoint> sweep;

    @JsonPropertyDescription("The curve's best point: t is the last number of layers within sweep.maxDrop of it.")
    public SweepPoint sweepPeak;

    @JsonPropertyDescription("t, the last number of causal layers before the sweep's sharp drop.")
    public Integer turningPoint;

    @JsonPropertyDescription("False when the curve never dropped: then turningPoint is the sweep's last layer count.")
    public Boolean dropObserved;

    @JsonPropertyDescription("K, the first bidirectional layer (0-based) the model was trained with: "
            + BidirectionalLayers.RULE + ".")
    public Integer bidirectionalFrom;

    public RunIds runs = new RunIds();

    @JsonPropertyDescription("Every step, in launch order: its inputs' digest, attempt, state, run and times.")
    public List<StepStatus> steps;

    @JsonPropertyDescription("The trained model's promotion metric.")
    public Double score;

    public PromotionStatus promotion;

    @JsonPropertyDescription("Registered model version made from this experiment, when promoted.")
    public String modelVersion;
}
