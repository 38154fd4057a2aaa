package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

public class TrackingSpec {
    @Pattern("^https?://.+")
    @JsonPropertyDescription("MLflow tracking server (default: the operator's configured one).")
    public String mlflowUri;

    @JsonPropertyDescription("MLflow experiment (default: bellm/<namespace>).")
    public String experimentName;
}
