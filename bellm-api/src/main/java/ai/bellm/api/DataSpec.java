package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

public class DataSpec {
    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Training sets as NAME=FORMAT:PATH (FORMAT: stsb, sick, senteval, jsonl), PATH inside the pods.")
    public List<String> train;

    @Required
    @Size(min = 1)
    @JsonPropertyDescription("STS sets as NAME=FORMAT:PATH scored by the sweep and, unless evaluation.tasks is set, by"
            + " the final evaluation.")
    public List<String> eval;

    @JsonPropertyDescription("PersistentVolumeClaim holding the data (and the base model), mounted read-only in every"
            + " step pod at mountPath.")
    public String volumeClaim;

    @Default("/data")
    @JsonPropertyDescription("Where volumeClaim is mounted.")
    public String mountPath = "/data";
}
