package ai.bellm.eval;

import ai.bellm.cli.ModelLocation;
import ai.bellm.embed.EmbeddingOptions;
import ai.bellm.recipe.PromptTemplate;
import ai.bellm.model.Pooling;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The model and embedding options shared by {@code embed}, {@code evaluate} and {@code sweep}. */
final class EmbeddingSettings {

    @Option(names = "--model", required = true, paramLabel = "PATH|URI",
            description = "GGUF file, Hugging Face LLaMA directory (config.json, *.safetensors, tokenizer.json) or"
                    + " model package; or runs:/RUN/PATH, models:/NAME@ALIAS, models:/NAME/VERSION in MLflow.")
    String model;

    @Option(names = "--pooling", paramLabel = "last|mean", defaultValue = "last",
            description = "last: hidden state of the last token (default); mean: mean over the tokens.")
    String pooling;

    @Option(names = "--prompt", paramLabel = "TEMPLATE",
            description = "Prompt with {text} once. Default: ${DEFAULT-VALUE}",
            defaultValue = PromptTemplate.DEFAULT_TEMPLATE)
    String prompt;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "512",
            description = "Longest prompted input; longer texts are truncated (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16",
            description = "Sentences per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    /** The model's local path, downloaded first if it is in MLflow. */
    Path modelPath() {
        return ModelLocation.resolve(model);
    }

    /** {@code defaults} with these options applied. */
    EmbeddingOptions applyTo(EmbeddingOptions defaults) {
        return defaults.withPrompt(new PromptTemplate(prompt))
                .withPooling(Pooling.parse(pooling))
                .withMaxTokens(maxTokens, false)
                .withBatchSize(batchSize);
    }
}
