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

    /** A layer's rotated keys and values [B, kvHeads, 1, T, d], as later tokens attend to them. */
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
            NDArray normed = inputNorm.apply(in, ctx.rmsEps);
            Heads heads = heads(project(Proj.Q, normed), project(Proj.K, normed), project(Proj.V, normed), ctx.cos,
                    ctx.sin);
            NDArray context = attend(heads.q, heads.k, heads.v, ctx.attentionBias(bidirectional), ctx);
            // handed over only now: ops on them would attach their results to the keeper's manager
            keep.accept(new KeysValues(heads.k, heads.v));
            return project(Proj.O, context);
        });
        return mlpBlock(x.add(attended), ctx);
    }

    /**
     * The layer, causal, over a packed batch: projections and MLP on its token rows, attention per sequence over the
     * shared prefix's keys and values and its own. The prefix's keys and values come from {@code cachedPrefix}, or,
     * when the prefix is rows of the batch, from those rows (computed once for all sequences).
     */
    PackedBatch forward(PackedBatch x, ForwardContext ctx, KeysValues cachedPrefix) {
        NDArray attended = ForwardContext.scoped(x.tokens().getManager(), x.tokens(), in -> {
            NDArray normed = inputNorm.apply(in, ctx.rmsEps);
            NDArray q = project(Proj.Q, normed);
            NDArray k = project(Proj.K, normed);
            NDArray v = project(Proj.V, normed);
            Heads rest = heads(x.restOf(q), x.restOf(k), x.restOf(v), ctx.restCos, ctx.restSin);
            KeysValues prefix = cachedPrefix;
            NDArray prefixContext = null; // the prefix rows' own attention output, when they are rows of the batch
            if (x.layout().prefixRows() > 0) {
                Heads own = heads(x.prefixOf(q), x.prefixOf(k), x.prefixOf(v), ctx.prefixCos, ctx.prefixSin);
                prefix = new KeysValues(own.k, own.v);
                prefixContext = attend(own.q, own.k, own.v, ctx.prefixBias, ctx);
            }
            NDArray keys = rest.k;
            NDArray values = rest.v;
            if (prefix != null) {
                Shape kv = prefix.keys().getShape();
                Shape everyRow = new Shape(x.layout().batchSize(), kv.get(1), 1, kv.get(3), kv.get(4));
                keys = ForwardContext.broadcastIn(in.getManager(), prefix.keys(), everyRow).concat(keys, 3);
                values = ForwardContext.broadcastIn(in.getManager(), prefix.values(), everyRow).concat(values, 3);
            }
            return project(Proj.O, x.rows(prefixContext, attend(rest.q, keys, values, ctx.restBias, ctx)));
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

    /** Queries [B, kvHeads, group, T, d], keys and values [B, kvHeads, 1, T, d], rotated by the tables' positions. */
    private record Heads(NDArray q, NDArray k, NDArray v) {
    }

    /** Splits projections [B, T, heads*d] into heads and rotates queries and keys. */
    private Heads heads(NDArray q, NDArray k, NDArray v, NDArray cos, NDArray sin) {
        long batch = q.getShape().get(0);
        long seq = q.getShape().get(1);
        int kvHeads = config.numKvHeads();
        int headDim = config.headDim();
        // [B, T, heads*d] -> [B, kvHeads, group, T, d]: query heads sharing a key/value head sit in one group, so
        // keys and values broadcast over the group instead of being copied (grouped-query attention).
        NDArray queries = q.reshape(batch, seq, kvHeads, config.queriesPerKvHead(), headDim).transpose(0, 2, 3, 1, 4);
        NDArray keys = k.reshape(batch, seq, kvHeads, 1, headDim).transpose(0, 2, 3, 1, 4);
        NDArray values = v.reshape(batch, seq, kvHeads, 1, headDim).transpose(0, 2, 3, 1, 4);
        return new Heads(RotaryEmbedding.apply(queries, cos, sin), RotaryEmbedding.apply(keys, cos, sin), values);
    }

    /** Attention of queries over keys with an additive bias [B, 1, Tq, Tk]: the context [B, Tq, heads*d]. */
    private NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias, ForwardContext ctx) {
        Shape shape = q.getShape();
        NDArray scores = q.matMul(k.transpose(0, 1, 2, 4, 3)).mul(ctx.attentionScale); // [B, kv, g, Tq, Tk]
        // bias [B, 1, Tq, Tk] -> [B, 1, 1, Tq, Tk] to broadcast over kv heads and groups
        NDArray probs = scores.add(bias.expandDims(1)).softmax(-1);
        return probs.matMul(v) // [B, kv, g, Tq, d]
                .transpose(0, 3, 1, 2, 4)
                .reshape(shape.get(0), shape.get(3), (long) config.numHeads() * config.headDim());
    }

    private NDArray mlp(NDArray x) {
        NDArray gate = project(Proj.GATE, x);
        NDArray silu = gate.mul(Activation.sigmoid(gate));
        return project(Proj.DOWN, silu.mul(project(Proj.UP, x)));
    }
}
