package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

public class PromotionSpec {
    @Required
    @Pattern("^[A-Za-z0-9][A-Za-z0-9._-]*$")
    @JsonPropertyDescription("Registered model in MLflow whose @champion the trained model may replace.")
    public String registeredModel;

    @Default("average_spearman")
    @JsonPropertyDescription("Evaluation metric compared with the champion's (higher is better).")
    public String metric = "average_spearman";

    @Default("0.0")
    @Min(0)
    @JsonPropertyDescription("Promote only when the metric beats the champion's by at least this much.")
    public double minGain;
}
