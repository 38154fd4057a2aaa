package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

public class EvaluationSpec {
    @JsonPropertyDescription("STS sets as NAME=FORMAT:PATH scoring the trained model (default: data.eval).")
    public List<String> tasks;
}
