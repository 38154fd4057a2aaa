package ai.bellm.model;

import ai.bellm.model.Attention.Heads;
import ai.bellm.model.Attention.KeysValues;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The hidden state of a batch in its causal layers as token rows [N, H]: the P leading tokens all sequences share,
 * once, then the other real tokens of every sequence, without padding.
 *
 * <p>In a causal layer a position sees only the positions before it, so a shared prefix (a BeLLM prompt opens every
 * sentence with the same words) has the same hidden states in every sequence and is computed once; the other tokens
 * attend to its keys and values. The prefix is either rows of its own at the top, or, when its states were kept from
 * an earlier forward ({@link PromptPrefixStates}), not computed at all. Projections and the MLP, most of the work, run
 * on the rows alone: neither the repeated prefix nor padding costs anything there. Only attention lays the rows out
 * as padded sequences ({@link #restOf}), masked as before.
 *
 * @param rotation   the rows' positions
 * @param prefixBias the causal bias [1, 1, P, P] of the prefix rows (null when the prefix is kept)
 * @param restBias   the bias [B, 1, T-P, T] of the rest, whose queries (positions P..T-1) see the prefix's keys, then
 *                   their own
 * @param kept       the prefix's states when kept from before; else null
 */
record PackedRows(Layout layout, RotaryEmbedding.Rotation rotation, NDArray prefixBias, NDArray restBias,
                  PromptPrefixStates kept) {

    /**
     * Where the rows of a batch go: the prefix length P, how many of the rows are the prefix's (P, or 0 when its
     * states are kept), the batch size B, the padded length S of the rest of a sequence, and the indices that move
     * rest rows into the padded [B·S] layout ({@code toPadded}; padding takes row 0, masked) and back
     * ({@code toRows}); both null when the rests are all S long, so that the rows already are that layout.
     */
    record Layout(int prefixLength, int prefixRows, long batchSize, long restLength, NDArray toPadded,
                  NDArray toRows) {
    }

    /** Layer {@code layer}'s attention over these rows (with the prefix's kept keys and values of that layer). */
    AttentionLayout forLayer(int layer) {
        KeysValues keptKeysValues = kept == null ? null : kept.layer(layer);
        return new AttentionLayout() {
            @Override
            public RotaryEmbedding.Rotation rotation() {
                return rotation;
            }

            @Override
            public NDArray attend(Heads heads, Attention attention) {
                return attendRows(heads, attention, keptKeysValues);
            }
        };
    }

    /**
     * Attention per sequence over the shared prefix's keys and values and its own. The prefix's come from
     * {@code keptPrefix}, or, when the prefix is rows of the batch, from those rows (computed once for all sequences).
     */
    private NDArray attendRows(Heads heads, Attention attention, KeysValues keptPrefix) {
        KeysValues prefix = keptPrefix;
        NDArray prefixContext = null; // the prefix rows' own attention output, when they are rows of the batch
        if (layout.prefixRows() > 0) {
            prefix = new KeysValues(Attention.headsFirst(prefixOf(heads.k())),
                    Attention.headsFirst(prefixOf(heads.v())));
            prefixContext = attention.scaledDotProduct(prefixOf(heads.q()), prefix, prefixBias);
        }
        NDArray keys = Attention.headsFirst(restOf(heads.k()));
        NDArray values = Attention.headsFirst(restOf(heads.v()));
        if (prefix != null) {
            Shape kv = prefix.keys().getShape();
            Shape everyRow = new Shape(layout.batchSize(), kv.get(1), kv.get(2), kv.get(3));
            // the concatenation also lays keys and values out contiguously per head, as attention reads them
            keys = ForwardContext.broadcastIn(keys.getManager(), prefix.keys(), everyRow).concat(keys, 2);
            values = ForwardContext.broadcastIn(values.getManager(), prefix.values(), everyRow).concat(values, 2);
        }
        NDArray restContext = attention.scaledDotProduct(restOf(heads.q()), new KeysValues(keys, values), restBias);
        return rows(prefixContext, restContext);
    }

    /** The prefix rows of a per-token array [N, ...], as one sequence [1, P, ...]. */
    private NDArray prefixOf(NDArray perToken) {
        return perToken.get(new NDIndex(":{}", layout.prefixRows())).expandDims(0);
    }

    /** The rest rows of a per-token array [N, ...], laid out as padded sequences [B, S, ...]. */
    private NDArray restOf(NDArray perToken) {
        NDArray rest = layout.prefixRows() == 0 ? perToken : perToken.get(new NDIndex("{}:", layout.prefixRows()));
        NDArray padded = layout.toPadded() == null ? rest : rest.get(new NDIndex("{}", layout.toPadded()));
        return padded.reshape(new Shape(layout.batchSize(), layout.restLength()).addAll(rest.getShape().slice(1)));
    }

    /** Per-token rows from the prefix rows [1, P, D] (null when there are none) and the padded rest [B, S, D]. */
    private NDArray rows(NDArray prefix, NDArray rest) {
        long width = rest.getShape().get(2);
        NDArray flat = rest.reshape(-1, width);
        NDArray restRows = layout.toRows() == null ? flat : flat.get(new NDIndex("{}", layout.toRows()));
        return prefix == null ? restRows : prefix.reshape(-1, width).concat(restRows, 0);
    }

    /**
     * The whole hidden state [B, T, H] of the rows {@code tokens} after {@code layers} layers (padding positions hold
     * copies of a real row): the prefix, then the rest.
     */
    NDArray joined(NDArray tokens, int layers) {
        NDArray rest = restOf(tokens);
        if (layout.prefixLength() == 0) {
            return rest;
        }
        NDArray prefix = layout.prefixRows() > 0 ? prefixOf(tokens) : kept.hiddenAfter(layers);
        Shape shape = prefix.getShape();
        Shape everyRow = new Shape(layout.batchSize(), shape.get(1), shape.get(2));
        return ForwardContext.broadcastIn(rest.getManager(), prefix, everyRow).concat(rest, 1);
    }
}
