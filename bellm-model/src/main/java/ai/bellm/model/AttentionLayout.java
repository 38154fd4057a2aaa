package ai.bellm.model;

import ai.bellm.model.Attention.Heads;
import ai.djl.ndarray.NDArray;

/**
 * How one layer's tokens are arranged into the sequences attention runs over: the positions that rotate them and
 * which keys each query sees. {@link PaddedSequences} is the plain layout; {@link PackedRows} runs the causal layers
 * on token rows that share a prompt's opening tokens once.
 */
interface AttentionLayout {

    /** The rotation of the tokens' positions, in the order of their hidden states. */
    RotaryEmbedding.Rotation rotation();

    /** The attention context [..., heads*d] of every token's {@code heads}, in the order of its hidden states. */
    NDArray attend(Heads heads, Attention attention);
}
