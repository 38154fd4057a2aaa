package ai.bellm.cli;

import ai.bellm.recipe.RecipeChanges;
import picocli.CommandLine.Option;

/** The recipe's bidirectional-from as an option, for the commands that run a model with backward dependency. */
public final class BidirectionalOption {

    @Option(names = RecipeChanges.BIDIRECTIONAL_FROM, paramLabel = "K",
            description = "Layers K.. (0-based) attend bidirectionally, the first K causally; from a sweep's turning"
                    + " point t, K = min(t, L - 2) for a model of L layers. Default: the model package's, else all"
                    + " causal.")
    public Integer bidirectionalFrom;

    /** {@code changes} with this option's K, if given. */
    public RecipeChanges addTo(RecipeChanges changes) {
        return bidirectionalFrom == null ? changes : changes.withBidirectionalFrom(bidirectionalFrom);
    }
}
