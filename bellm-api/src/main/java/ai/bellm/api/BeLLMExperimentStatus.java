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

    @JsonPropertyDescription("The spec generation the workflow runs; a newer one restarts it from Pending.")
    public Long observedGeneration;

    @JsonPropertyDescription("Ready, Progressing and Failed, Kubernetes style.")
    public List<Condition> conditions = new ArrayList<>();

    public String message;

    @JsonPropertyDescription("The merged degradation curve.")
    public List<SweepPoint> sweep;

    @JsonPropertyDescription("t, the last number of causal layers before the sweep's sharp drop.")
    public Integer turningPoint;

    @JsonPropertyDescription("False when the curve never dropped: then turningPoint is the sweep's last layer count.")
    public Boolean dropObserved;

    @JsonPropertyDescription("K, the first bidirectional layer (0-based) the model was trained with: "
            + BidirectionalLayers.RULE + ".")
    public Integer bidirectionalFrom;

    public RunIds runs = new RunIds();

    @JsonPropertyDescription("When each step ran, in launch order.")
    public List<StepTimes> steps;

    @JsonPropertyDescription("The trained model's promotion metric.")
    public Double score;

    public PromotionStatus promotion;

    @JsonPropertyDescription("Registered model version made from this experiment, when promoted.")
    public String modelVersion;
}
