package ai.bellm.model;

import ai.bellm.model.Attention.KeysValues;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * What the model computes for a prompt's opening tokens (a fixed run of leading tokens) when every layer is
 * causal: after each layer, those tokens' hidden state and the keys and values later tokens attend to.
 *
 * <p>In a causal layer a position sees only the positions before it, so these states are the same in every sequence
 * that opens with the tokens; a forward of such sequences takes them from here ({@link LlamaModel#forwardEachLayer})
 * instead of computing them again in every batch. They hold for the weights they were computed with: whoever
 * changes the weights (training) must not reuse them. Their arrays live until {@link #close()} or the model's close.
 */
public final class PromptPrefixStates implements AutoCloseable {

    private final int[] ids;
    private final NDManager manager;
    /** Element n: the hidden state [1, P, H] after n layers (0: the token embeddings). */
    private final List<NDArray> hidden;
    /** Element l: layer l's rotated keys and values [1, kvHeads, P, d]. */
    private final List<KeysValues> keysValues;

    PromptPrefixStates(int[] ids, NDManager manager, List<NDArray> hidden, List<KeysValues> keysValues) {
        this.ids = ids.clone();
        this.manager = manager;
        this.hidden = List.copyOf(hidden);
        this.keysValues = List.copyOf(keysValues);
    }

    /** How many tokens it covers. */
    public int length() {
        return ids.length;
    }

    /** Whether every sequence of the batch opens with these tokens and has a token of its own after them. */
    boolean opens(TokenBatch batch) {
        return batch.allOpenWith(ids);
    }

    /** The hidden state [1, P, H] after the first {@code layers} layers. */
    NDArray hiddenAfter(int layers) {
        return hidden.get(layers);
    }

    /** Keys and values of layer {@code layer} (0-based). */
    KeysValues layer(int layer) {
        return keysValues.get(layer);
    }

    @Override
    public void close() {
        manager.close();
    }
}
