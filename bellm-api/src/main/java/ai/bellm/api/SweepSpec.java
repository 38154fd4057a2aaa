package ai.bellm.api;

import ai.bellm.recipe.BidirectionalLayers;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

public class SweepSpec {
    @Pattern("^[0-9]+-[0-9]+$")
    @JsonPropertyDescription("Layer counts A-B to score (default: 1 to the model's number of layers).")
    public String layers;

    @Default("1")
    @Min(1)
    @Max(64)
    @JsonPropertyDescription("Number of parallel sweep Jobs; each runs every layer count on a contiguous part of every"
            + " evaluation task's pairs, so that all of them together cost about one pass over the data.")
    public int shards = 1;

    @Default("3.0")
    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Largest loss from the peak (Spearman x100) that still counts as no drop.")
    public double maxDrop = 3.0;

    @Min(1)
    @JsonPropertyDescription("A known turning point t: skips the sweep; " + BidirectionalLayers.RULE + ".")
    public Integer turningPoint;
}
