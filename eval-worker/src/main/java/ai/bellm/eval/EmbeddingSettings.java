package ai.bellm.eval;

import ai.bellm.cli.BidirectionalOption;
import ai.bellm.cli.ModelLocation;
import ai.bellm.cli.PrecisionOption;
import ai.bellm.cli.RecipeOptions;
import ai.bellm.embed.EmbeddingModel;
import ai.bellm.embed.EmbeddingOptions;
import ai.bellm.recipe.RecipeChanges;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The model, its embedding recipe, its precision and the batch size, shared by {@code embed}, {@code evaluate} and
 * {@code sweep}.
 */
final class EmbeddingSettings {

    @Option(names = "--model", required = true, paramLabel = "PATH|URI",
            description = "GGUF file, Hugging Face LLaMA or Qwen2 directory (config.json, *.safetensors,"
                    + " tokenizer.json) or model package; or runs:/RUN/PATH, models:/NAME@ALIAS, models:/NAME/VERSION"
                    + " in MLflow.")
    String model;

    @Mixin
    RecipeOptions recipe;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16",
            description = "Sentences per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    /** The model, downloaded first if it is in MLflow, at the precision asked for. */
    EmbeddingModel load() {
        return EmbeddingModel.load(ModelLocation.resolve(model), Optional.empty(), precision.value());
    }

    /** The model's own recipe with the options given: what the command runs with. */
    EmbeddingOptions options(EmbeddingModel loaded) {
        return options(loaded, recipe.changes());
    }

    /** As {@link #options(EmbeddingModel)}, with bidirectional-from too. */
    EmbeddingOptions options(EmbeddingModel loaded, BidirectionalOption bidirectional) {
        return options(loaded, bidirectional.addTo(recipe.changes()));
    }

    private EmbeddingOptions options(EmbeddingModel loaded, RecipeChanges changes) {
        return EmbeddingOptions.of(changes.applyTo(loaded.recipe())).withBatchSize(batchSize);
    }
}
