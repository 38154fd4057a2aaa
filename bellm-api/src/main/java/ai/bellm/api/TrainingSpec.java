package ai.bellm.api;

import ai.bellm.recipe.BidirectionalLayers;
import ai.bellm.recipe.EmbeddingRecipe;
import ai.bellm.recipe.Pooling;
import ai.bellm.recipe.PromptTemplate;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

public class TrainingSpec {
    public ObjectiveSpec objective = new ObjectiveSpec();

    public LoraSpec lora = new LoraSpec();

    @Min(0)
    @JsonPropertyDescription("K, the first bidirectional layer (0-based), instead of the rule's: without it the "
            + BidirectionalLayers.RULE + ". The sweep still runs and records t unless sweep.turningPoint is given.")
    public Integer bidirectionalFrom;

    @Default("2.0E-4")
    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Peak learning rate.")
    public double lr = 2e-4;

    @Default("0")
    @Min(0)
    @JsonPropertyDescription("Optimizer steps over which the learning rate rises linearly to lr.")
    public int warmupSteps = 0;

    @Default("16")
    @Min(1)
    public int batchSize = 16;

    @Default("1")
    @Min(1)
    public int epochs = 1;

    @Min(1)
    @JsonPropertyDescription("Stop after this many optimizer steps (overrides epochs).")
    public Integer maxSteps;

    @Min(8)
    @JsonPropertyDescription("Longest prompted input in tokens; longer texts are truncated inside the text (default "
            + EmbeddingRecipe.DEFAULT_MAX_TOKENS + ").")
    public Integer maxTokens;

    @Pattern("\\{text\\}")
    @JsonPropertyDescription("Prompt template with {text} once (default: " + PromptTemplate.DEFAULT_TEMPLATE + ").")
    public String prompt;

    @JsonPropertyDescription("last (the last token's hidden state, default) or mean (over the tokens).")
    public Pooling pooling;

    @Default("42")
    public long seed = 42;

    @Default("100")
    @Min(1)
    @JsonPropertyDescription("Optimizer steps between checkpoints. Each is copied to the training run in MLflow, so a"
            + " replaced training pod resumes from the last one.")
    public int checkpointEvery = 100;
}
