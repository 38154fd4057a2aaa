package ai.bellm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The hidden state of a batch of {@code batchSize} sequences that share their first P tokens, held as token rows
 * {@code tokens} [P + B·S, H]: the shared prefix once (rows 0..P-1), then the other S positions of every sequence.
 *
 * <p>In a causal layer a position sees only the positions before it, so the shared prefix has the same hidden states in
 * every sequence: it is computed once per batch, and the rest attends to its keys and values. A BeLLM prompt opens
 * every sentence with the same words, so this saves a large share of the causal layers' work. Projections and the MLP
 * run on all rows at once: a separate pass over a few prefix rows would read every weight once more for them.
 */
record PrefixSplit(NDArray tokens, int prefixLength, long batchSize) {

    /** The prefix rows of a per-token array [P + B·S, D], as one sequence [1, P, D]. */
    NDArray prefixOf(NDArray perToken) {
        return perToken.get(new NDIndex(":{}", prefixLength)).expandDims(0);
    }

    /** The other rows of a per-token array [P + B·S, D], as [B, S, D]. */
    NDArray restOf(NDArray perToken) {
        Shape shape = perToken.getShape();
        return perToken.get(new NDIndex("{}:", prefixLength)).reshape(batchSize, -1, shape.get(shape.dimension() - 1));
    }

    /** Per-token rows [P + B·S, D] from the prefix [1, P, D] and the rest [B, S, D]. */
    static NDArray rows(NDArray prefix, NDArray rest) {
        long width = rest.getShape().get(2);
        return prefix.reshape(-1, width).concat(rest.reshape(-1, width), 0);
    }

    PrefixSplit withTokens(NDArray next) {
        return new PrefixSplit(next, prefixLength, batchSize);
    }

    /** The whole hidden state [B, T, H]: the prefix repeated for every sequence, then the rest. */
    NDArray joined() {
        NDArray prefix = prefixOf(tokens);
        Shape shape = prefix.getShape();
        return prefix.broadcast(new Shape(batchSize, shape.get(1), shape.get(2))).concat(restOf(tokens), 1);
    }
}
