package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class TrackingSpec {
    @JsonPropertyDescription("MLflow tracking server (default: the operator's configured one).")
    public String mlflowUri;

    @JsonPropertyDescription("MLflow experiment (default: bellm/<namespace>).")
    public String experimentName;
}
