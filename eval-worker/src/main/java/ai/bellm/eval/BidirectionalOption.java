package ai.bellm.eval;

import ai.bellm.embed.EmbeddingOptions;
import ai.bellm.model.LayerAttention;
import picocli.CommandLine.Option;

/** {@code --bidirectional-from K} of {@code embed} and {@code evaluate}; the sweep is causal by definition. */
final class BidirectionalOption {

    @Option(names = "--bidirectional-from", paramLabel = "K",
            description = "Layers K.. (0-based) attend bidirectionally; the first K stay causal (K = the sweep's"
                    + " turning point). Default: all causal.")
    Integer bidirectionalFrom;

    EmbeddingOptions applyTo(EmbeddingOptions options) {
        return bidirectionalFrom == null ? options
                : options.withAttention(LayerAttention.bidirectionalFrom(bidirectionalFrom));
    }
}
