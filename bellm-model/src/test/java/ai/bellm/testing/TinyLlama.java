package ai.bellm.testing;

import ai.bellm.model.Architecture;
import ai.bellm.model.LlamaConfig;
import ai.bellm.model.TinyModelFactory;
import ai.bellm.weights.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Tiny LLaMA configs for weight-format tests, and GGUF files written the way llama.cpp's converter writes them. */
public final class TinyLlama {

    private TinyLlama() {
    }

    /** 2 layers, hidden 8, 2 query heads sharing 1 KV head of dim 4, the byte-level vocabulary of the tiny models. */
    public static LlamaConfig config(boolean tied) {
        return config(tied, Architecture.LLAMA);
    }

    public static LlamaConfig config(boolean tied, Architecture architecture) {
        return new LlamaConfig(TinyModelFactory.BYTE_VOCAB_SIZE, 8, 12, 2, 2, 1, 4, 1e-5f, 10000f, 64, tied,
                architecture);
    }

    /**
     * A GGUF file as llama.cpp's converter writes it: llama.cpp names, metadata under the architecture's prefix, and
     * for LLaMA the Q/K rows permuted for interleaved RoPE.
     */
    public static GgufTestWriter ggufWriter(LlamaConfig c, Map<String, Tensor> weights) {
        List<Object> tokens = new ArrayList<>();
        for (int t = 0; t < c.vocabSize(); t++) {
            tokens.add("tok" + t);
        }
        String a = c.architecture().id() + ".";
        GgufTestWriter gguf = new GgufTestWriter()
                .putString("general.architecture", c.architecture().id())
                .putU32(a + "block_count", c.numLayers())
                .putU32(a + "context_length", c.maxPositions())
                .putU32(a + "embedding_length", c.hiddenSize())
                .putU32(a + "feed_forward_length", c.intermediateSize())
                .putU32(a + "attention.head_count", c.numHeads())
                .putU32(a + "attention.head_count_kv", c.numKvHeads())
                .putU32(a + "rope.dimension_count", c.headDim())
                .putF32(a + "rope.freq_base", c.ropeTheta())
                .putF32(a + "attention.layer_norm_rms_epsilon", c.rmsNormEps())
                .put("tokenizer.ggml.tokens", GgufTestWriter.ARRAY, new GgufTestWriter.Array(GgufTestWriter.STRING,
                        tokens));
        for (Tensor t : weights.values()) {
            float[] data = t.data();
            boolean permuted = c.architecture().ggufPermutesQk();
            if (permuted && t.name().endsWith("q_proj.weight")) {
                data = permuteLikeLlamaCpp(data, t.shape()[0], t.shape()[1], c.numHeads());
            } else if (permuted && t.name().endsWith("k_proj.weight")) {
                data = permuteLikeLlamaCpp(data, t.shape()[0], t.shape()[1], c.numKvHeads());
            }
            gguf.f32Tensor(ggufName(t.name()), t.shape(), data);
        }
        return gguf;
    }

    /** numpy: {@code w.reshape(n_head, 2, rows // n_head // 2, cols).swapaxes(1, 2).reshape(rows, cols)}. */
    public static float[] permuteLikeLlamaCpp(float[] w, int rows, int cols, int nHead) {
        int half = rows / nHead / 2;
        float[] out = new float[w.length];
        int row = 0;
        for (int h = 0; h < nHead; h++) {
            for (int i = 0; i < half; i++) {
                for (int s = 0; s < 2; s++, row++) { // output index (h, i, s) takes input (h, s, i)
                    int source = (h * 2 + s) * half + i;
                    System.arraycopy(w, source * cols, out, row * cols, cols);
                }
            }
        }
        return out;
    }

    public static String ggufName(String hfName) {
        return hfName.replace("model.embed_tokens", "token_embd")
                .replace("model.norm", "output_norm")
                .replace("lm_head", "output")
                .replace("model.layers.", "blk.")
                .replace("self_attn.q_proj", "attn_q")
                .replace("self_attn.k_proj", "attn_k")
                .replace("self_attn.v_proj", "attn_v")
                .replace("self_attn.o_proj", "attn_output")
                .replace("mlp.gate_proj", "ffn_gate")
                .replace("mlp.up_proj", "ffn_up")
                .replace("mlp.down_proj", "ffn_down")
                .replace("post_attention_layernorm", "ffn_norm")
                .replace("input_layernorm", "attn_norm");
    }
}
