package ai.bellm.model;

import ai.djl.ndarray.NDArray;

/**
 * One LLaMA decoder layer (pre-norm): h = x + attention(norm(x)), then h + mlp(norm(h)). Attention is grouped-query
 * with rotary positions ({@link Attention}); the MLP is SwiGLU ({@link Mlp}).
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

        /** The HF name of its bias, where the architecture has one. */
        public String biasName(int layer) {
            return "model.layers." + layer + "." + hfName + ".bias";
        }

        boolean ofAttention() {
            return ordinal() <= O.ordinal();
        }
    }

    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final Mlp mlp;

    DecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, Mlp mlp) {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
    }

    /**
     * The layer over a hidden state [..., H] whose tokens {@code layout} arranges into sequences; every intermediate
     * is freed as soon as its block ends.
     */
    NDArray forward(NDArray x, NDArray rmsEps, AttentionLayout layout) {
        NDArray h = x.add(ForwardContext.scoped(x.getManager(), x,
                in -> attention.forward(inputNorm.apply(in, rmsEps), layout)));
        return h.add(ForwardContext.scoped(h.getManager(), h, in -> mlp.forward(postAttentionNorm.apply(in, rmsEps))));
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
        return which.ofAttention() ? attention.projection(which) : mlp.projection(which);
    }

    /** Replaces one projection, e.g. with a LoRA-adapted one. */
    public void setProjection(Proj which, Projection projection) {
        if (which.ofAttention()) {
            attention.setProjection(which, projection);
        } else {
            mlp.setProjection(which, projection);
        }
    }
}
