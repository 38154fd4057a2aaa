package ai.bellm.embed;

import ai.bellm.model.LayerAttention;
import ai.bellm.recipe.EmbeddingRecipe;
import ai.bellm.recipe.Pooling;
import ai.bellm.recipe.PromptTemplate;

/**
 * How an embedder runs: the {@link EmbeddingRecipe} (what the vectors are) and the knobs that change how they are
 * computed or delivered, not the vectors themselves.
 *
 * @param rejectOverlong throw {@link InputTooLongException} instead of truncating the text
 * @param batchSize sentences per forward pass
 * @param normalize scale every embedding to unit length
 */
public record EmbeddingOptions(EmbeddingRecipe recipe, boolean rejectOverlong, int batchSize, boolean normalize) {

    public static final int DEFAULT_BATCH_SIZE = 16;

    public EmbeddingOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
    }

    /** {@code recipe}, truncating over-long texts, in batches of {@value #DEFAULT_BATCH_SIZE}. */
    public static EmbeddingOptions of(EmbeddingRecipe recipe) {
        return new EmbeddingOptions(recipe, false, DEFAULT_BATCH_SIZE, false);
    }

    /** BeLLM's recipe ({@link EmbeddingRecipe#DEFAULT}). */
    public static EmbeddingOptions defaults() {
        return of(EmbeddingRecipe.DEFAULT);
    }

    public PromptTemplate prompt() {
        return recipe.prompt();
    }

    public Pooling pooling() {
        return recipe.pooling();
    }

    public LayerAttention attention() {
        return LayerAttention.of(recipe.bidirectionalFrom());
    }

    public int maxTokens() {
        return recipe.maxTokens();
    }

    public EmbeddingOptions withRecipe(EmbeddingRecipe value) {
        return new EmbeddingOptions(value, rejectOverlong, batchSize, normalize);
    }

    public EmbeddingOptions withPrompt(PromptTemplate value) {
        return withRecipe(recipe.withPrompt(value));
    }

    public EmbeddingOptions withPooling(Pooling value) {
        return withRecipe(recipe.withPooling(value));
    }

    public EmbeddingOptions withAttention(LayerAttention value) {
        return withRecipe(recipe.withBidirectionalFrom(value.asRecipeValue()));
    }

    public EmbeddingOptions withMaxTokens(int value, boolean reject) {
        return new EmbeddingOptions(recipe.withMaxTokens(value), reject, batchSize, normalize);
    }

    public EmbeddingOptions withBatchSize(int value) {
        return new EmbeddingOptions(recipe, rejectOverlong, value, normalize);
    }

    public EmbeddingOptions withNormalize(boolean value) {
        return new EmbeddingOptions(recipe, rejectOverlong, batchSize, value);
    }
}
