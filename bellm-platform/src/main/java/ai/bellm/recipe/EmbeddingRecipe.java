package ai.bellm.recipe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * How a sentence becomes a vector: the prompt it is wrapped in, the layers from which attention is bidirectional
 * (empty: all causal; see {@link BidirectionalLayers} for the rule from a turning point), the pooling of the hidden
 * states and the longest prompted input. A trained model package stores its recipe; every step records the recipe
 * it ran with, under the same keys ({@link #params()}).
 *
 * @param bidirectionalFrom K: layers K.. (0-based) attend bidirectionally, the first K causally
 * @param maxTokens longest prompted sequence fed to the model; longer texts are truncated inside the text
 */
public record EmbeddingRecipe(PromptTemplate prompt, Pooling pooling, OptionalInt bidirectionalFrom, int maxTokens) {

    public static final int DEFAULT_MAX_TOKENS = 512;
    /** BeLLM's: the representative-word prompt, last-token pooling, all layers causal. */
    public static final EmbeddingRecipe DEFAULT = new EmbeddingRecipe(PromptTemplate.DEFAULT, Pooling.LAST_TOKEN,
            OptionalInt.empty(), DEFAULT_MAX_TOKENS);

    public EmbeddingRecipe {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max tokens must be positive, got " + maxTokens);
        }
        if (bidirectionalFrom.isPresent() && bidirectionalFrom.getAsInt() < 0) {
            throw new IllegalArgumentException("bidirectional-from must be >= 0, got " + bidirectionalFrom.getAsInt());
        }
    }

    public EmbeddingRecipe withPrompt(PromptTemplate value) {
        return new EmbeddingRecipe(value, pooling, bidirectionalFrom, maxTokens);
    }

    public EmbeddingRecipe withPooling(Pooling value) {
        return new EmbeddingRecipe(prompt, value, bidirectionalFrom, maxTokens);
    }

    public EmbeddingRecipe withBidirectionalFrom(OptionalInt value) {
        return new EmbeddingRecipe(prompt, pooling, value, maxTokens);
    }

    public EmbeddingRecipe withMaxTokens(int value) {
        return new EmbeddingRecipe(prompt, pooling, bidirectionalFrom, value);
    }

    /** The recipe as MLflow parameters and result-file settings: the same keys and spellings from every step. */
    public Map<String, String> params() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("prompt", prompt.template());
        params.put("pooling", pooling.cliName());
        params.put("bidirectional_from", bidirectionalFrom.isPresent()
                ? Integer.toString(bidirectionalFrom.getAsInt()) : "none");
        params.put("max_tokens", Integer.toString(maxTokens));
        return params;
    }
}
