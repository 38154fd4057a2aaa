package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

public class LoraSpec {
    @Default("8")
    @Min(0)
    @Max(1024)
    @JsonPropertyDescription("Adapter rank; 0 trains no adapters.")
    public int rank = 8;

    @Default("16")
    @Min(0)
    public double alpha = 16;

    @Default("q,k,v,o,gate,up,down")
    @Pattern("^(q|k|v|o|gate|up|down)(,(q|k|v|o|gate|up|down))*$")
    @JsonPropertyDescription("Projections that get adapters.")
    public String targets = "q,k,v,o,gate,up,down";

    @Pattern("^[0-9]+-[0-9]+$")
    @JsonPropertyDescription("0-based layers A-B that get adapters (default: all).")
    public String layers;
}
