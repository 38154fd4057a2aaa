package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How far the running training is, from the metrics the trainer logs to its run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingProgress {
    @JsonPropertyDescription("Optimizer steps done.")
    public long step;

    @JsonPropertyDescription("Optimizer steps the training runs in all.")
    public Long totalSteps;

    @JsonPropertyDescription("The last step's loss.")
    public Double loss;

    @JsonPropertyDescription("The last step's throughput, tokens per second.")
    public Double tokensPerSecond;

    @JsonPropertyDescription("Seconds left at the pace of the recent steps.")
    public Long etaSeconds;
}
