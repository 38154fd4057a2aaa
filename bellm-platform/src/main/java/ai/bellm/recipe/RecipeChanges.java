package ai.bellm.recipe;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The parts of an {@link EmbeddingRecipe} a step is told to set; a {@code null} part keeps what the model brings (a
 * trained package's own recipe, else {@link EmbeddingRecipe#DEFAULT}). The workflow writes them into a step's
 * arguments with {@link #toArgs()}; the worker CLIs parse the same options back (cli-common's option group).
 */
public record RecipeChanges(PromptTemplate prompt, Pooling pooling, Integer bidirectionalFrom, Integer maxTokens) {

    public static final String PROMPT = "--prompt";
    public static final String POOLING = "--pooling";
    public static final String BIDIRECTIONAL_FROM = "--bidirectional-from";
    public static final String MAX_TOKENS = "--max-tokens";
    public static final RecipeChanges NONE = new RecipeChanges(null, null, null, null);

    public EmbeddingRecipe applyTo(EmbeddingRecipe base) {
        EmbeddingRecipe recipe = base;
        if (prompt != null) {
            recipe = recipe.withPrompt(prompt);
        }
        if (pooling != null) {
            recipe = recipe.withPooling(pooling);
        }
        if (bidirectionalFrom != null) {
            recipe = recipe.withBidirectionalFrom(OptionalInt.of(bidirectionalFrom));
        }
        if (maxTokens != null) {
            recipe = recipe.withMaxTokens(maxTokens);
        }
        return recipe;
    }

    public RecipeChanges withBidirectionalFrom(Integer value) {
        return new RecipeChanges(prompt, pooling, value, maxTokens);
    }

    /** The options that set these parts, in the order the workers' help lists them. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>();
        if (prompt != null) {
            args.addAll(List.of(PROMPT, prompt.template()));
        }
        if (pooling != null) {
            args.addAll(List.of(POOLING, pooling.cliName()));
        }
        if (bidirectionalFrom != null) {
            args.addAll(List.of(BIDIRECTIONAL_FROM, bidirectionalFrom.toString()));
        }
        if (maxTokens != null) {
            args.addAll(List.of(MAX_TOKENS, maxTokens.toString()));
        }
        return args;
    }
}
