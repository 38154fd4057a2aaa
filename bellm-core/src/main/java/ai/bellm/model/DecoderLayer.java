package ai.bellm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

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

    NDArray forward(NDArray x, ForwardContext ctx, boolean bidirectional) {
        NDArray h = x.add(attention(inputNorm.apply(x, ctx.rmsEps), ctx, bidirectional));
        return h.add(mlp(postAttentionNorm.apply(h, ctx.rmsEps)));
    }

    private NDArray attention(NDArray x, ForwardContext ctx, boolean bidirectional) {
        long batch = x.getShape().get(0);
        long seq = x.getShape().get(1);
        int kvHeads = config.numKvHeads();
        int group = config.queriesPerKvHead();
        int headDim = config.headDim();

        // [B, T, heads*d] -> [B, kvHeads, group, T, d]: query heads sharing a key/value head sit in one group, so
        // keys and values broadcast over the group instead of being copied (grouped-query attention).
        NDArray q = projection(Proj.Q).apply(x).reshape(batch, seq, kvHeads, group, headDim).transpose(0, 2, 3, 1, 4);
        NDArray k = projection(Proj.K).apply(x).reshape(batch, seq, kvHeads, 1, headDim).transpose(0, 2, 3, 1, 4);
        NDArray v = projection(Proj.V).apply(x).reshape(batch, seq, kvHeads, 1, headDim).transpose(0, 2, 3, 1, 4);
        q = RotaryEmbedding.apply(q, ctx.cos, ctx.sin);
        k = RotaryEmbedding.apply(k, ctx.cos, ctx.sin);

        NDArray scores = q.matMul(k.transpose(0, 1, 2, 4, 3)).mul(ctx.attentionScale); // [B, kv, g, T, T]
        // bias [B, 1, T, T] -> [B, 1, 1, T, T] to broadcast over kv heads and groups
        NDArray probs = scores.add(ctx.attentionBias(bidirectional).expandDims(1)).softmax(-1);
        NDArray context = probs.matMul(v) // [B, kv, g, T, d]
                .transpose(0, 3, 1, 2, 4)
                .reshape(batch, seq, (long) config.numHeads() * headDim);
        return projection(Proj.O).apply(context);
    }

    private NDArray mlp(NDArray x) {
        NDArray gate = projection(Proj.GATE).apply(x);
        NDArray silu = gate.mul(Activation.sigmoid(gate));
        return projection(Proj.DOWN).apply(silu.mul(projection(Proj.UP).apply(x)));
    }
}
