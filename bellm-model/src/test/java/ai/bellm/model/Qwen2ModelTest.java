package ai.bellm.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.embed.EmbeddingModel;
import ai.bellm.testing.TinyLlama;
import ai.bellm.weights.Tensor;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Qwen2 is LLaMA plus biases on the query, key and value projections: with zero biases the two compute the same. */
class Qwen2ModelTest {
    private static final LlamaConfig QWEN2 = TinyLlama.config(true, Architecture.QWEN2);
    private static final LlamaConfig LLAMA = TinyLlama.config(true, Architecture.LLAMA);
    private static final TokenBatch BATCH = new TokenBatch(List.of(new int[] {5, 9, 42, 7}, new int[] {3, 1}));

    @Test
    void withZeroBiasesQwen2ComputesWhatLlamaComputesAndItsBiasesChangeTheResult() {
        Map<String, Tensor> weights = TinyModelFactory.randomWeights(QWEN2, 11);
        Map<String, Tensor> zeroBiases = new LinkedHashMap<>(weights);
        Map<String, Tensor> withoutBiases = new LinkedHashMap<>(weights);
        weights.values().stream().filter(t -> t.name().endsWith(".bias")).forEach(t -> {
            zeroBiases.put(t.name(), new Tensor(t.name(), t.shape(), new float[t.data().length]));
            withoutBiases.remove(t.name());
        });
        try (NDManager root = NDManager.newBaseManager()) {
            float[] llama = hidden(LLAMA, withoutBiases, root);
            assertThat(hidden(QWEN2, zeroBiases, root)).containsExactly(llama);
            float[] biased = hidden(QWEN2, weights, root);
            assertThat(maxAbsDiff(biased, llama)).isGreaterThan(1e-3f);
        }
    }

    @Test
    void aQwen2HfDirectoryRoundTripsWithItsArchitecture(@TempDir Path dir) throws Exception {
        LlamaConfig config = new LlamaConfig(TinyModelFactory.BYTE_VOCAB_SIZE, 16, 24, 2, 2, 1, 8, 1e-6f, 1e6f, 64,
                true, Architecture.QWEN2);
        Map<String, Tensor> weights = TinyModelFactory.randomWeights(config, 12);
        TinyModelFactory.writeHfDirectory(dir, config, weights);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertThat(json.get("model_type").asText()).isEqualTo("qwen2");
        assertThat(json.get("architectures").get(0).asText()).isEqualTo("Qwen2ForCausalLM");
        try (EmbeddingModel loaded = EmbeddingModel.load(dir); NDManager root = NDManager.newBaseManager()) {
            assertThat(loaded.model().config()).isEqualTo(config);
            try (NDManager scope = loaded.model().manager().newSubManager()) {
                float[] fromDirectory = loaded.model().forward(scope, BATCH, LayerAttention.allCausal()).toFloatArray();
                assertThat(fromDirectory).containsExactly(hidden(config, weights, root));
            }
        }
    }

    private static float[] hidden(LlamaConfig config, Map<String, Tensor> weights, NDManager root) {
        try (LlamaModel model = LlamaModel.fromTensors(config, weights::get, root);
             NDManager scope = root.newSubManager()) {
            return model.forward(scope, BATCH, LayerAttention.allCausal()).toFloatArray();
        }
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
