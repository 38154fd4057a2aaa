package ai.bellm.model;

import ai.bellm.model.Attention.Heads;
import ai.bellm.model.Attention.KeysValues;
import ai.djl.ndarray.NDArray;
import java.util.function.Consumer;

/**
 * The hidden state as right-padded sequences [B, T, H], each query seeing the keys its {@code bias} [B, 1, T, T]
 * allows (causal or bidirectional, padding always masked). {@code keep} is handed every layer's keys and values, for
 * whoever keeps them ({@link PromptPrefixStates}); it must move them to a manager of its own.
 */
record PaddedSequences(RotaryEmbedding.Rotation rotation, NDArray bias, Consumer<KeysValues> keep)
        implements AttentionLayout {

    PaddedSequences(RotaryEmbedding.Rotation rotation, NDArray bias) {
        this(rotation, bias, kv -> { });
    }

    @Override
    public NDArray attend(Heads heads, Attention attention) {
        KeysValues keysValues = new KeysValues(Attention.headsFirst(heads.k()), Attention.headsFirst(heads.v()));
        NDArray context = attention.scaledDotProduct(heads.q(), keysValues, bias);
        // handed over only now: ops on them would attach their results to the keeper's manager
        keep.accept(keysValues);
        return context;
    }
}
