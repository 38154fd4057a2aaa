package ai.bellm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The hidden state of a batch in the causal layers, as token rows {@code tokens}: the P leading tokens all sequences
 * share, once, then the other real tokens of every sequence, without padding.
 *
 * <p>In a causal layer a position sees only the positions before it, so a shared prefix (a BeLLM prompt opens every
 * sentence with the same words) has the same hidden states in every sequence and is computed once; the other tokens
 * attend to its keys and values. The prefix is either rows of its own at the top of {@code tokens}, or, when its
 * states were kept from an earlier forward ({@link PrefixStates}), not computed at all: then {@code cachedPrefix} is
 * its hidden state [1, P, H] after the same layers. Projections and the MLP, most of the work, run on the rows alone:
 * neither the repeated prefix nor padding costs anything there. Only attention lays the rows out as padded sequences
 * ({@link #restOf}), masked as before.
 */
record PackedBatch(NDArray tokens, Layout layout, NDArray cachedPrefix) {

    /**
     * Where the rows of a batch go: the prefix length P, how many of the rows are the prefix's (P, or 0 when its
     * states are cached), the batch size B, the padded length S of the rest of a sequence, and the indices that move
     * rest rows into the padded [B·S] layout ({@code toPadded}; padding takes row 0, masked) and back
     * ({@code toRows}); both null when the rests are all S long, so that the rows already are that layout.
     */
    record Layout(int prefixLength, int prefixRows, long batchSize, long restLength, NDArray toPadded,
                  NDArray toRows) {
    }

    /** The prefix rows of a per-token array [N, ...], as one sequence [1, P, ...]. */
    NDArray prefixOf(NDArray perToken) {
        return perToken.get(new NDIndex(":{}", layout.prefixRows())).expandDims(0);
    }

    /** The rest rows of a per-token array [N, ...], laid out as padded sequences [B, S, ...]. */
    NDArray restOf(NDArray perToken) {
        NDArray rest = layout.prefixRows() == 0 ? perToken : perToken.get(new NDIndex("{}:", layout.prefixRows()));
        NDArray padded = layout.toPadded() == null ? rest : rest.get(new NDIndex("{}", layout.toPadded()));
        return padded.reshape(new Shape(layout.batchSize(), layout.restLength()).addAll(rest.getShape().slice(1)));
    }

    /** Per-token rows from the prefix rows [1, P, D] (null when there are none) and the padded rest [B, S, D]. */
    NDArray rows(NDArray prefix, NDArray rest) {
        long width = rest.getShape().get(2);
        NDArray flat = rest.reshape(-1, width);
        NDArray restRows = layout.toRows() == null ? flat : flat.get(new NDIndex("{}", layout.toRows()));
        return prefix == null ? restRows : prefix.reshape(-1, width).concat(restRows, 0);
    }

    PackedBatch withTokens(NDArray next) {
        return new PackedBatch(next, layout, cachedPrefix);
    }

    /** The whole hidden state [B, T, H] (padding positions hold copies of a real row): the prefix, then the rest. */
    NDArray joined() {
        NDArray rest = restOf(tokens);
        if (layout.prefixLength() == 0) {
            return rest;
        }
        NDArray prefix = layout.prefixRows() > 0 ? prefixOf(tokens) : cachedPrefix;
        Shape shape = prefix.getShape();
        Shape everyRow = new Shape(layout.batchSize(), shape.get(1), shape.get(2));
        return ForwardContext.broadcastIn(rest.getManager(), prefix, everyRow).concat(rest, 1);
    }
}
