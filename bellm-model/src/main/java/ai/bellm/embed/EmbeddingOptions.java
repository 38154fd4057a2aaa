package ai.bellm.embed;

import ai.bellm.model.LayerAttention;
import ai.bellm.model.Pooling;
import ai.bellm.recipe.PromptTemplate;

/**
 * How sentences become vectors.
 *
 * @param maxTokens longest prompted sequence fed to the model; longer texts are truncated or rejected
 * @param rejectOverlong throw {@link InputTooLongException} instead of truncating the text
 * @param batchSize sentences per forward pass
 * @param normalize scale every embedding to unit length
 */
public record EmbeddingOptions(
        PromptTemplate prompt,
        Pooling pooling,
        LayerAttention attention,
        int maxTokens,
        boolean rejectOverlong,
        int batchSize,
        boolean normalize) {

    public static final int DEFAULT_MAX_TOKENS = 512;
    public static final int DEFAULT_BATCH_SIZE = 16;

    public EmbeddingOptions {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max tokens must be positive, got " + maxTokens);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
    }

    /** BeLLM defaults: the representative-word prompt, last-token pooling, all layers causal. */
    public static EmbeddingOptions defaults() {
        return new EmbeddingOptions(PromptTemplate.DEFAULT, Pooling.LAST_TOKEN, LayerAttention.allCausal(),
                DEFAULT_MAX_TOKENS, false, DEFAULT_BATCH_SIZE, false);
    }

    public EmbeddingOptions withPrompt(PromptTemplate value) {
        return new EmbeddingOptions(value, pooling, attention, maxTokens, rejectOverlong, batchSize, normalize);
    }

    public EmbeddingOptions withPooling(Pooling value) {
        return new EmbeddingOptions(prompt, value, attention, maxTokens, rejectOverlong, batchSize, normalize);
    }

    public EmbeddingOptions withAttention(LayerAttention value) {
        return new EmbeddingOptions(prompt, pooling, value, maxTokens, rejectOverlong, batchSize, normalize);
    }

    public EmbeddingOptions withMaxTokens(int value, boolean reject) {
        return new EmbeddingOptions(prompt, pooling, attention, value, reject, batchSize, normalize);
    }

    public EmbeddingOptions withBatchSize(int value) {
        return new EmbeddingOptions(prompt, pooling, attention, maxTokens, rejectOverlong, value, normalize);
    }

    public EmbeddingOptions withNormalize(boolean value) {
        return new EmbeddingOptions(prompt, pooling, attention, maxTokens, rejectOverlong, batchSize, value);
    }
}
