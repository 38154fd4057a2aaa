package ai.bellm.eval;

import ai.bellm.model.Precision;
import ai.bellm.recipe.EmbeddingRecipe;
import ai.bellm.recipe.Pooling;
import ai.bellm.recipe.PromptTemplate;
import java.util.OptionalInt;

/**
 * The embedding recipe and precision a result was obtained with, as written to result files (batch size is left
 * out: it does not change the numbers).
 *
 * @param bidirectionalFrom {@code null} when all layers were causal
 * @param precision of the projections ({@code f32}, {@code bf16})
 */
public record Settings(Integer bidirectionalFrom, String pooling, String prompt, int maxTokens, String precision) {

    static Settings of(EmbeddingRecipe recipe, Precision precision) {
        return new Settings(recipe.bidirectionalFrom().isPresent() ? recipe.bidirectionalFrom().getAsInt() : null,
                recipe.pooling().cliName(), recipe.prompt().template(), recipe.maxTokens(), precision.cliName());
    }

    /** The recipe back, e.g. of a result read from a file. */
    EmbeddingRecipe recipe() {
        return new EmbeddingRecipe(new PromptTemplate(prompt), Pooling.parse(pooling),
                bidirectionalFrom == null ? OptionalInt.empty() : OptionalInt.of(bidirectionalFrom), maxTokens);
    }
}
