package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** When one step of the experiment ran. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StepTimes {
    @JsonPropertyDescription("The step: sweep-1 ... sweep-n, train, evaluate.")
    public String step;

    @JsonPropertyDescription("When it started running (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription("When it succeeded or failed (RFC 3339).")
    public String finishedAt;

    @JsonPropertyDescription("How long it ran, in seconds.")
    public Long seconds;
}
