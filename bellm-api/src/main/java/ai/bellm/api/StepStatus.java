package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One step of the experiment as the operator last saw it: what it ran on, which attempt, its run and its times. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StepStatus {
    @JsonPropertyDescription("The step: sweep-1 ... sweep-n, turning-point, train, evaluate, promote.")
    public String step;

    @JsonPropertyDescription("Digest of the step's inputs (its command line, what earlier steps produced, the parent"
            + " run). A step that succeeded is never run again for the same inputs.")
    public String inputs;

    @JsonPropertyDescription("0 for the first attempt at these inputs; one more after each retry or resume.")
    public int attempt;

    public StepPhase state;

    @JsonPropertyDescription("Why it failed.")
    public String message;

    @JsonPropertyDescription("The step's MLflow run; a retried or resumed step continues in the same run.")
    public String runId;

    @JsonPropertyDescription("When it started running (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription("When it succeeded or failed (RFC 3339).")
    public String finishedAt;

    @JsonPropertyDescription("How long it ran, in seconds.")
    public Long seconds;
}
