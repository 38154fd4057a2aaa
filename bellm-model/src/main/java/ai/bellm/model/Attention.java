package ai.bellm.model;

import ai.bellm.model.DecoderLayer.Proj;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.EnumMap;
import java.util.Map;

/**
 * Grouped-query self-attention with rotary positions: queries, keys and values projected from the normed hidden
 * state and split into heads, queries and keys rotated, scaled dot-product attention, the output projection. Which
 * tokens form a sequence and what each may see is the {@link AttentionLayout}'s: padded sequences, or packed rows
 * that share a prompt's opening tokens.
 */
final class Attention {

    /** Queries, keys and values per token [..., heads, d]; queries and keys rotated (queries also pre-scaled). */
    record Heads(NDArray q, NDArray k, NDArray v) {
    }

    /** A layer's rotated keys and values [B, kvHeads, T, d], as later tokens attend to them. */
    record KeysValues(NDArray keys, NDArray values) {
    }

    private final LlamaConfig config;
    private final Map<Proj, Projection> projections = new EnumMap<>(Proj.class);

    Attention(LlamaConfig config, Projection q, Projection k, Projection v, Projection o) {
        this.config = config;
        projections.put(Proj.Q, q);
        projections.put(Proj.K, k);
        projections.put(Proj.V, v);
        projections.put(Proj.O, o);
    }

    Projection projection(Proj which) {
        return projections.get(which);
    }

    void setProjection(Proj which, Projection projection) {
        projections.replace(which, projection);
    }

    /** The attention output [..., H] of the normed hidden state [..., H] of tokens arranged by {@code layout}. */
    NDArray forward(NDArray normed, AttentionLayout layout) {
        return projections.get(Proj.O).apply(layout.attend(heads(normed, layout.rotation()), this));
    }

    /** The attention heads of the normed hidden state [..., H], rotated by {@code rotation}'s positions. */
    private Heads heads(NDArray normed, RotaryEmbedding.Rotation rotation) {
        Shape perToken = normed.getShape().slice(0, normed.getShape().dimension() - 1);
        return new Heads(rotation.queries(split(projections.get(Proj.Q).apply(normed), perToken, config.numHeads())),
                rotation.keys(split(projections.get(Proj.K).apply(normed), perToken, config.numKvHeads())),
                split(projections.get(Proj.V).apply(normed), perToken, config.numKvHeads()));
    }

    /** A projection [..., heads*d] split into heads [..., heads, d] over the leading dimensions {@code leading}. */
    private NDArray split(NDArray projected, Shape leading, int count) {
        return projected.reshape(leading.addAll(new Shape(count, config.headDim())));
    }

    /** Per-token heads [B, T, heads, d] as per-head sequences [B, heads, T, d] (a view). */
    static NDArray headsFirst(NDArray perToken) {
        return perToken.transpose(0, 2, 1, 3);
    }

    /**
     * softmax(q kᵀ + bias) v of (rotated, pre-scaled) queries [B, Tq, heads, d] over keys and values
     * [B, kvHeads, Tk, d] with an additive bias [B, 1, Tq, Tk]: the context [B, Tq, heads*d].
     */
    NDArray scaledDotProduct(NDArray q, KeysValues kv, NDArray bias) {
        long batch = q.getShape().get(0);
        long queries = q.getShape().get(1);
        long keys = kv.keys().getShape().get(2);
        int kvHeads = config.numKvHeads();
        int group = config.queriesPerKvHead();
        int headDim = config.headDim();
        // Grouped-query attention: the query heads sharing a key/value head are stacked into one matrix
        // [B, kvHeads, group*Tq, d], so each key/value head serves its group in one product, without copies per head.
        NDArray grouped = q.reshape(batch, queries, kvHeads, group, headDim).transpose(0, 2, 3, 1, 4)
                .reshape(batch, kvHeads, group * queries, headDim);
        NDArray scores = grouped.matMul(kv.keys().transpose(0, 1, 3, 2))
                .reshape(batch, kvHeads, group, queries, keys);
        // bias [B, 1, Tq, Tk] -> [B, 1, 1, Tq, Tk] to broadcast over key/value heads and groups
        NDArray probs = scores.add(bias.expandDims(1)).softmax(-1).reshape(batch, kvHeads, group * queries, keys);
        return probs.matMul(kv.values()) // [B, kvHeads, group*Tq, d]
                .reshape(batch, kvHeads, group, queries, headDim)
                .transpose(0, 3, 1, 2, 4)
                .reshape(batch, queries, (long) config.numHeads() * headDim);
    }
}
