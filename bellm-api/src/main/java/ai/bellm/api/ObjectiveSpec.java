package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** Weights of the AnglE objective's parts. */
public class ObjectiveSpec {
    @Default("1.0")
    @Min(0)
    public double cosent = 1.0;

    @Default("1.0")
    @Min(0)
    @JsonPropertyDescription("In-batch InfoNCE.")
    public double infonce = 1.0;

    @Default("0.02")
    @Min(0)
    public double angle = 0.02;
}
