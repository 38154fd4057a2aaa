package ai.bellm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The hidden state of a batch in the causal layers, as token rows {@code tokens} [P + R, H]: the P leading tokens all
 * sequences share, once, then the R other real tokens of every sequence, without padding.
 *
 * <p>In a causal layer a position sees only the positions before it, so a shared prefix (a BeLLM prompt opens every
 * sentence with the same words) has the same hidden states in every sequence and is computed once; the other tokens
 * attend to its keys and values. Projections and the MLP, most of the work, run on the rows alone: neither the
 * repeated prefix nor padding costs anything there. Only attention lays the rows out as padded sequences
 * ({@link #restOf}), masked as before.
 */
record PackedBatch(NDArray tokens, Layout layout) {

    /**
     * Where the rows of a batch go: P, the batch size B, the padded length S of the rest of a sequence, and the
     * indices that move rest rows into the padded [B·S] layout ({@code toPadded}; padding takes row 0, masked) and
     * back ({@code toRows}).
     */
    record Layout(int prefixLength, long batchSize, long restLength, NDArray toPadded, NDArray toRows) {
    }

    /** The prefix rows of a per-token array [P + R, D], as one sequence [1, P, D]. */
    NDArray prefixOf(NDArray perToken) {
        return perToken.get(new NDIndex(":{}", layout.prefixLength())).expandDims(0);
    }

    /** The rest rows of a per-token array [P + R, D], laid out as padded sequences [B, S, D]. */
    NDArray restOf(NDArray perToken) {
        NDArray rest = perToken.get(new NDIndex("{}:", layout.prefixLength()));
        return rest.get(new NDIndex("{}", layout.toPadded()))
                .reshape(layout.batchSize(), layout.restLength(), rest.getShape().get(1));
    }

    /** Per-token rows [P + R, D] from the prefix [1, P, D] (null when P = 0) and the padded rest [B, S, D]. */
    NDArray rows(NDArray prefix, NDArray rest) {
        long width = rest.getShape().get(2);
        NDArray restRows = rest.reshape(-1, width).get(new NDIndex("{}", layout.toRows()));
        return layout.prefixLength() == 0 ? restRows : prefix.reshape(-1, width).concat(restRows, 0);
    }

    PackedBatch withTokens(NDArray next) {
        return new PackedBatch(next, layout);
    }

    /** The whole hidden state [B, T, H] (padding positions hold copies of a real row): the prefix, then the rest. */
    NDArray joined() {
        if (layout.prefixLength() == 0) {
            return restOf(tokens);
        }
        NDArray prefix = prefixOf(tokens);
        Shape shape = prefix.getShape();
        return prefix.broadcast(new Shape(layout.batchSize(), shape.get(1), shape.get(2))).concat(restOf(tokens), 1);
    }
}
