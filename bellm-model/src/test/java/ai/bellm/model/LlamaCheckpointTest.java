package ai.bellm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.bellm.testing.GgufTestWriter;
import ai.bellm.testing.TinyLlama;
import ai.bellm.weights.GgufFile;
import ai.bellm.weights.SafetensorsDtype;
import ai.bellm.weights.SafetensorsWriter;
import ai.bellm.weights.Tensor;
import ai.bellm.weights.WeightFormatException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaCheckpointTest {

    private static final String Q0 = "model.layers.0.self_attn.q_proj.weight";
    private static final String K1 = "model.layers.1.self_attn.k_proj.weight";

    @TempDir
    Path dir;

    @Test
    void ggufGivesBackTheHfMatricesWithQAndKUnpermuted() throws Exception {
        LlamaConfig config = TinyLlama.config(true);
        Map<String, Tensor> hf = TinyModelFactory.randomWeights(config, 1);
        Path file = TinyLlama.ggufWriter(config, hf).write(dir.resolve("tiny.gguf"));

        try (LlamaCheckpoint checkpoint = LlamaCheckpoint.open(file)) {
            assertThat(checkpoint.config()).isEqualTo(config);
            assertThat(checkpoint.tensorNames()).containsExactlyInAnyOrderElementsOf(hf.keySet());
            assertThat(checkpoint.hasTensor(LlamaCheckpoint.LM_HEAD)).isFalse();
            for (Tensor expected : hf.values()) {
                Tensor actual = checkpoint.tensor(expected.name());
                assertThat(actual.name()).isEqualTo(expected.name());
                assertThat(actual.shape()).as(expected.name()).containsExactly(expected.shape());
                assertThat(actual.data()).as(expected.name()).containsExactly(expected.data());
            }
            // the file really holds permuted rows, so the equality above is the un-permutation at work
            GgufFile gguf = checkpoint.gguf().orElseThrow();
            assertThat(gguf.read("blk.0.attn_q.weight").data()).isNotEqualTo(hf.get(Q0).data());
            assertThat(gguf.read("blk.1.attn_k.weight").data()).isNotEqualTo(hf.get(K1).data());
            assertThat(checkpoint.hfTokenizerJson()).isEmpty();
            assertThatThrownBy(() -> checkpoint.tensor(LlamaCheckpoint.LM_HEAD))
                    .isInstanceOf(WeightFormatException.class).hasMessageContaining("tied");
        }
    }

    @Test
    void permutationMatchesLlamaCppOnAKnownMatrix() {
        // one head of dim 4, one column: rows (r0, r1 | r2, r3) are stored as (r0, r2, r1, r3)
        float[] hf = {0, 1, 2, 3};
        assertThat(TinyLlama.permuteLikeLlamaCpp(hf, 4, 1, 1)).containsExactly(0, 2, 1, 3);
    }

    @Test
    void untiedGgufServesTheOutputMatrixAsLmHead() throws Exception {
        LlamaConfig config = TinyLlama.config(false);
        Map<String, Tensor> hf = TinyModelFactory.randomWeights(config, 2);
        Path file = TinyLlama.ggufWriter(config, hf).write(dir.resolve("untied.gguf"));
        try (LlamaCheckpoint checkpoint = LlamaCheckpoint.open(file)) {
            assertThat(checkpoint.config().tieWordEmbeddings()).isFalse();
            assertThat(checkpoint.tensor(LlamaCheckpoint.LM_HEAD).data())
                    .containsExactly(hf.get(LlamaCheckpoint.LM_HEAD).data());
        }
    }

    @Test
    void hfDirectory() throws Exception {
        LlamaConfig config = TinyLlama.config(false);
        Map<String, Tensor> hf = TinyModelFactory.randomWeights(config, 3);
        Path model = TinyModelFactory.writeHfDirectory(dir.resolve("model"), config, hf);
        try (LlamaCheckpoint checkpoint = LlamaCheckpoint.open(model)) {
            assertThat(checkpoint.config()).isEqualTo(config);
            assertThat(checkpoint.gguf()).isEmpty();
            assertThat(checkpoint.hfTokenizerJson()).contains(model.resolve("tokenizer.json"));
            assertThat(checkpoint.tensor(Q0).data()).containsExactly(hf.get(Q0).data()); // no permutation here
            assertThat(checkpoint.tensor(LlamaCheckpoint.LM_HEAD).data())
                    .containsExactly(hf.get(LlamaCheckpoint.LM_HEAD).data());
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(
                    model.resolve("model.safetensors")));
            assertThat(checkpoint.sha256()).isEqualTo(HexFormat.of().formatHex(digest));
        }
    }

    @Test
    void shardedHfDirectoryInBf16() throws Exception {
        LlamaConfig config = TinyLlama.config(true);
        Map<String, Tensor> hf = TinyModelFactory.randomWeights(config, 6);
        Path model = TinyModelFactory.writeHfDirectory(dir.resolve("model"), config, Map.of());
        Files.delete(model.resolve("model.safetensors"));
        Map<String, Tensor> first = new LinkedHashMap<>();
        Map<String, Tensor> second = new LinkedHashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode index = mapper.createObjectNode();
        ObjectNode weightMap = index.putObject("weight_map");
        for (Tensor t : hf.values()) {
            boolean inFirst = !t.name().startsWith("model.layers.1.");
            (inFirst ? first : second).put(t.name(), t);
            weightMap.put(t.name(), inFirst ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        }
        SafetensorsWriter.write(model.resolve("model-00001-of-00002.safetensors"), first, SafetensorsDtype.BF16);
        SafetensorsWriter.write(model.resolve("model-00002-of-00002.safetensors"), second, SafetensorsDtype.BF16);
        mapper.writeValue(model.resolve("model.safetensors.index.json").toFile(), index);

        try (LlamaCheckpoint checkpoint = LlamaCheckpoint.open(model)) {
            assertThat(checkpoint.weightFiles()).hasSize(2);
            assertThat(checkpoint.tensorNames()).containsExactlyInAnyOrderElementsOf(hf.keySet());
            float[] expected = hf.get(K1).data();
            float[] actual = checkpoint.tensor(K1).data();
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).isCloseTo(expected[i], within(Math.abs(expected[i]) * 0x1p-8f));
            }
        }
    }

    @Test
    void shapeMismatchNamesTheTensorAndBothShapes() throws Exception {
        LlamaConfig config = TinyLlama.config(true);
        Map<String, Tensor> hf = new LinkedHashMap<>(TinyModelFactory.randomWeights(config, 4));
        String up = "model.layers.1.mlp.up_proj.weight";
        hf.put(up, new Tensor(up, new int[] {12, 7}, new float[84]));
        Path file = TinyLlama.ggufWriter(config, hf).write(dir.resolve("bad.gguf"));
        assertThatThrownBy(() -> LlamaCheckpoint.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("shape mismatch for tensor 'blk.1.ffn_up.weight' (HF " + up + ")")
                .hasMessageContaining("expected [12, 8]").hasMessageContaining("found [12, 7]");
    }

    @Test
    void missingTensorIsNamed() throws Exception {
        LlamaConfig config = TinyLlama.config(false);
        Map<String, Tensor> hf = new LinkedHashMap<>(TinyModelFactory.randomWeights(config, 5));
        hf.remove("model.layers.1.post_attention_layernorm.weight");
        Path model = TinyModelFactory.writeHfDirectory(dir.resolve("model"), config, hf);
        assertThatThrownBy(() -> LlamaCheckpoint.open(model)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("missing tensor 'model.layers.1.post_attention_layernorm.weight'");
    }

    @Test
    void rejectsOtherArchitectures() throws Exception {
        Path file = new GgufTestWriter().putString("general.architecture", "mamba").write(dir.resolve("m.gguf"));
        assertThatThrownBy(() -> LlamaCheckpoint.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("general.architecture: architecture 'mamba' is not supported (supported:"
                        + " llama, qwen2)");
    }

    /** Qwen2's GGUF keeps HF's Q/K rows (no permutation) and adds the query, key and value biases. */
    @Test
    void qwen2GgufGivesBackTheHfTensorsBiasesIncluded() throws Exception {
        LlamaConfig config = TinyLlama.config(true, Architecture.QWEN2);
        Map<String, Tensor> hf = TinyModelFactory.randomWeights(config, 3);
        assertThat(hf).containsKeys("model.layers.0.self_attn.q_proj.bias", "model.layers.1.self_attn.v_proj.bias");
        Path file = TinyLlama.ggufWriter(config, hf).write(dir.resolve("qwen2.gguf"));

        try (LlamaCheckpoint checkpoint = LlamaCheckpoint.open(file)) {
            assertThat(checkpoint.config()).isEqualTo(config);
            assertThat(checkpoint.tensorNames()).containsExactlyInAnyOrderElementsOf(hf.keySet());
            for (Tensor expected : hf.values()) {
                assertThat(checkpoint.tensor(expected.name()).data()).as(expected.name())
                        .containsExactly(expected.data());
            }
            assertThat(checkpoint.gguf().orElseThrow().read("blk.0.attn_q.weight").data())
                    .as("stored as HF has it").containsExactly(hf.get(Q0).data());
        }
    }

    @Test
    void aQwen2CheckpointWithoutItsBiasesIsRefused() throws Exception {
        LlamaConfig config = TinyLlama.config(true, Architecture.QWEN2);
        Map<String, Tensor> weights = new java.util.LinkedHashMap<>(TinyModelFactory.randomWeights(config, 3));
        weights.remove("model.layers.1.self_attn.k_proj.bias");
        Path file = TinyLlama.ggufWriter(config, weights).write(dir.resolve("qwen2.gguf"));
        assertThatThrownBy(() -> LlamaCheckpoint.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("missing tensor 'blk.1.attn_k.bias' (HF model.layers.1.self_attn.k_proj.bias)");
    }

    @Test
    void rejectsAPathThatIsNeitherGgufNorAModelDirectory() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> LlamaCheckpoint.open(empty)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("no config.json");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hi");
        assertThatThrownBy(() -> LlamaCheckpoint.open(text)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("expected a .gguf file");
    }
}
