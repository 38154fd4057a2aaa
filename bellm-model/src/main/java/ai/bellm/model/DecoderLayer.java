package ai.bellm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.function.Consumer;

/**
 * One LLaMA decoder layer (pre-norm): x + attention(norm(x)), then h + mlp(norm(h)).
 * Attention is grouped-query with rotary positions; the MLP is SwiGLU.
 */
public final class DecoderLayer {

    /** The seven projections of a layer, in HF naming. */
    public enum Proj {
        Q("self_attn.q_proj"), K("self_attn.k_proj"), V("self_attn.v_proj"), O("self_attn.o_proj"),
        GATE("mlp.gate_proj"), UP("mlp.up_proj"), DOWN("mlp.down_proj");

        private final String hfName;

        Proj(String hfName) {
            this.hfName = hfName;
        }

        /** The HF tensor name of this projection's weight in layer {@code layer}. */
        public String weightName(int layer) {
            return "model.layers." + layer + "." + hfName + ".weight";
        }
    }

    private final LlamaConfig config;
    private final RmsNorm inputNorm;
    private final RmsNorm postAttentionNorm;
    private final Projection[] projections;

    DecoderLayer(LlamaConfig config, NDArray inputNorm, NDArray postAttentionNorm, Projection[] projections) {
        this.config = config;
        this.inputNorm = new RmsNorm(inputNorm);
        this.postAttentionNorm = new RmsNorm(postAttentionNorm);
        this.projections = projections.clone();
    }

    /** The gain of the norm before attention, [H]. */
    public NDArray inputNormWeight() {
        return inputNorm.weight();
    }

    /** The gain of the norm before the MLP, [H]. */
    public NDArray postAttentionNormWeight() {
        return postAttentionNorm.weight();
    }

    public Projection projection(Proj which) {
        return projections[which.ordinal()];
    }

    /** Replaces one projection, e.g. with a LoRA-adapted one. */
    public void setProjection(Proj which, Projection projection) {
        projections[which.ordinal()] = projection;
    }

    /** A layer's rotated keys and values [B, kvHeads, T, d], as later tokens attend to them. */
    record KeysValues(NDArray keys, NDArray values) {
    }

    /** The layer over the whole hidden state [B, T, H]. */
    NDArray forward(NDArray x, ForwardContext ctx, boolean bidirectional) {
        return forward(x, ctx, bidirectional, kv -> { });
    }

    /**
     * The layer over the whole hidden state [B, T, H], handing its keys and values to {@code keep} (which must move
     * them to a manager of its own: everything else the layer creates on the way is freed when it returns).
     */
    NDArray forward(NDArray x, ForwardContext ctx, boolean bidirectional, Consumer<KeysValues> keep) {
        NDArray attended = ForwardContext.scoped(x.getManager(), x, in -> {
            Heads heads = heads(inputNorm.apply(in, ctx.rmsEps), ctx.rotation);
            KeysValues keysValues = new KeysValues(headsFirst(heads.k), headsFirst(heads.v));
            NDArray context = attend(heads.q, keysValues, ctx.attentionBias(bidirectional));
            // handed over only now: ops on them would attach their results to the keeper's manager
            keep.accept(keysValues);
            return project(Proj.O, context);
        });
        return mlpBlock(x.add(attended), ctx);
    }

    /**
     * The layer, causal, over a packed batch: projections, rotation and MLP on its token rows, attention per sequence
     * over the shared prefix's keys and values and its own. The prefix's keys and values come from
     * {@code cachedPrefix}, or, when the prefix is rows of the batch, from those rows (computed once for all
     * sequences).
     */
    PackedBatch forward(PackedBatch x, ForwardContext ctx, KeysValues cachedPrefix) {
        NDArray attended = ForwardContext.scoped(x.tokens().getManager(), x.tokens(), in -> {
            Heads heads = heads(inputNorm.apply(in, ctx.rmsEps), ctx.rowRotation);
            KeysValues prefix = cachedPrefix;
            NDArray prefixContext = null; // the prefix rows' own attention output, when they are rows of the batch
            if (x.layout().prefixRows() > 0) {
                prefix = new KeysValues(headsFirst(x.prefixOf(heads.k)), headsFirst(x.prefixOf(heads.v)));
                prefixContext = attend(x.prefixOf(heads.q), prefix, ctx.prefixBias);
            }
            NDArray keys = headsFirst(x.restOf(heads.k));
            NDArray values = headsFirst(x.restOf(heads.v));
            if (prefix != null) {
                Shape kv = prefix.keys().getShape();
                Shape everyRow = new Shape(x.layout().batchSize(), kv.get(1), kv.get(2), kv.get(3));
                // the concatenation also lays keys and values out contiguously per head, as attention reads them
                keys = ForwardContext.broadcastIn(in.getManager(), prefix.keys(), everyRow).concat(keys, 2);
                values = ForwardContext.broadcastIn(in.getManager(), prefix.values(), everyRow).concat(values, 2);
            }
            NDArray restContext = attend(x.restOf(heads.q), new KeysValues(keys, values), ctx.restBias);
            return project(Proj.O, x.rows(prefixContext, restContext));
        });
        return x.withTokens(mlpBlock(x.tokens().add(attended), ctx));
    }

    private NDArray project(Proj which, NDArray x) {
        return projection(which).apply(x);
    }

    /** h + mlp(norm(h)), on any shape [..., H]. */
    private NDArray mlpBlock(NDArray h, ForwardContext ctx) {
        return h.add(ForwardContext.scoped(h.getManager(), h, in -> mlp(postAttentionNorm.apply(in, ctx.rmsEps))));
    }

    /** Queries, keys and values per token [..., heads, d]; queries and keys rotated (queries also pre-scaled). */
    private record Heads(NDArray q, NDArray k, NDArray v) {
    }

    /** The attention heads of the normed hidden state [..., H], rotated by {@code rotation}'s positions. */
    private Heads heads(NDArray normed, RotaryEmbedding.Rotation rotation) {
        Shape perToken = normed.getShape().slice(0, normed.getShape().dimension() - 1);
        return new Heads(rotation.queries(split(project(Proj.Q, normed), perToken, config.numHeads())),
                rotation.keys(split(project(Proj.K, normed), perToken, config.numKvHeads())),
                split(project(Proj.V, normed), perToken, config.numKvHeads()));
    }

    /** A projection [..., heads*d] split into heads [..., heads, d] over the leading dimensions {@code leading}. */
    private NDArray split(NDArray projected, Shape leading, int count) {
        return projected.reshape(leading.addAll(new Shape(count, config.headDim())));
    }

    /** Per-token heads [B, T, heads, d] as per-head sequences [B, heads, T, d] (a view). */
    private static NDArray headsFirst(NDArray perToken) {
        return perToken.transpose(0, 2, 1, 3);
    }

    /**
     * Attention of (rotated, pre-scaled) queries [B, Tq, heads, d] over keys and values [B, kvHeads, Tk, d] with an
     * additive bias [B, 1, Tq, Tk]: the context [B, Tq, heads*d].
     */
    private NDArray attend(NDArray q, KeysValues kv, NDArray bias) {
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

    private NDArray mlp(NDArray x) {
        NDArray gate = project(Proj.GATE, x);
        NDArray silu = gate.mul(Activation.sigmoid(gate));
        return project(Proj.DOWN, silu.mul(project(Proj.UP, x)));
    }
}
