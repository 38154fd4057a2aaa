package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum Pooling {
    @JsonProperty("last") LAST,
    @JsonProperty("mean") MEAN;

    public String cliValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
