package ai.bellm.embed;

import ai.bellm.model.LlamaModel;
import ai.bellm.model.PromptPrefixStates;
import ai.bellm.recipe.PromptTemplate;
import ai.bellm.tokenizer.TextTokenizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The states of each prompt's opening tokens in one model ({@link PromptPrefixStates}), computed on first use and shared by
 * all embedders of the model, across threads. They hold while the model's weights stay as loaded, and are freed with
 * the model. A model meets a handful of prompts, so nothing is ever evicted.
 */
final class PromptPrefixCache {

    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final Map<PromptTemplate, Optional<PromptPrefixStates>> states = new HashMap<>();

    PromptPrefixCache(LlamaModel model, TextTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /** The states of the tokens every text prompted with {@code prompt} opens with; empty when there are none. */
    synchronized Optional<PromptPrefixStates> of(PromptTemplate prompt) {
        return states.computeIfAbsent(prompt, p -> {
            int[] opening = openingTokens(p);
            return opening.length == 0 ? Optional.empty() : Optional.of(model.promptPrefixStates(opening));
        });
    }

    /**
     * The tokens two texts that differ from their first character share once prompted: the words before the text,
     * short of a token that a tokenizer merges across the boundary. A forward checks that its sequences open with
     * them, so a text that tokenizes otherwise still gets the right states, only not the kept ones.
     */
    private int[] openingTokens(PromptTemplate prompt) {
        int[] a = tokenizer.encode(prompt.apply("a"));
        int[] b = tokenizer.encode(prompt.apply("1"));
        int shared = Arrays.mismatch(a, b);
        return Arrays.copyOf(a, shared < 0 ? Math.min(a.length, b.length) : shared);
    }
}
