package ai.bellm.cli;

import ai.bellm.recipe.EmbeddingRecipe;
import ai.bellm.recipe.Pooling;
import ai.bellm.recipe.PromptTemplate;
import ai.bellm.recipe.RecipeChanges;
import picocli.CommandLine.Option;

/**
 * The embedding recipe's prompt, pooling and max tokens as options, shared by every worker command. An option left
 * out keeps what the model brings: a trained package's own recipe, else BeLLM's default.
 */
public final class RecipeOptions {

    @Option(names = RecipeChanges.PROMPT, paramLabel = "TEMPLATE",
            description = "Prompt with {text} once. Default: the model package's, else "
                    + PromptTemplate.DEFAULT_TEMPLATE)
    String prompt;

    @Option(names = RecipeChanges.POOLING, paramLabel = "last|mean",
            description = "last: hidden state of the last token; mean: mean over the tokens. Default: the model"
                    + " package's, else last.")
    String pooling;

    @Option(names = RecipeChanges.MAX_TOKENS, paramLabel = "N",
            description = "Longest prompted input; longer texts are truncated inside the text. Default: the model"
                    + " package's, else " + EmbeddingRecipe.DEFAULT_MAX_TOKENS + ".")
    Integer maxTokens;

    /** The parts given on the command line; bidirectional-from comes from {@link BidirectionalOption}. */
    public RecipeChanges changes() {
        return new RecipeChanges(prompt == null ? null : new PromptTemplate(prompt),
                pooling == null ? null : Pooling.parse(pooling), null, maxTokens);
    }
}
