package ai.bellm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.weights.Tensor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LlamaModelTest {

    private static final LlamaConfig CONFIG = TinyModelFactory.tinyConfig();
    private static NDManager root;
    private static LlamaModel model;

    @BeforeAll
    static void load() {
        root = NDManager.newBaseManager("PyTorch");
        model = LlamaModel.fromTensors(CONFIG, TinyModelFactory.randomWeights(CONFIG, 7)::get, root);
    }

    @AfterAll
    static void release() {
        model.close();
        root.close();
    }

    private static float[][] hiddenRows(TokenBatch batch, LayerAttention attention, int sequence) {
        try (NDManager scope = root.newSubManager()) {
            NDArray hidden = model.forward(scope, batch, attention);
            int t = batch.maxLength();
            int h = CONFIG.hiddenSize();
            float[] all = hidden.toFloatArray();
            float[][] rows = new float[batch.length(sequence)][h];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(all, (sequence * t + i) * h, rows[i], 0, h);
            }
            return rows;
        }
    }

    @Test
    void causalLayersIgnoreLaterTokensAndBidirectionalLayersDoNot() {
        int[] original = {5, 17, 42, 99, 3};
        int[] changedLast = {5, 17, 42, 99, 250};

        float[][] causalA = hiddenRows(new TokenBatch(List.of(original)), LayerAttention.allCausal(), 0);
        float[][] causalB = hiddenRows(new TokenBatch(List.of(changedLast)), LayerAttention.allCausal(), 0);
        for (int pos = 0; pos < 4; pos++) {
            assertThat(maxAbsDiff(causalA[pos], causalB[pos])).as("causal, position %d", pos).isEqualTo(0f);
        }
        assertThat(maxAbsDiff(causalA[4], causalB[4])).isGreaterThan(1e-3f);

        // only the last layer bidirectional: earlier positions now see the changed token
        LayerAttention top = LayerAttention.bidirectionalFrom(CONFIG.numLayers() - 1);
        float[][] bidiA = hiddenRows(new TokenBatch(List.of(original)), top, 0);
        float[][] bidiB = hiddenRows(new TokenBatch(List.of(changedLast)), top, 0);
        assertThat(maxAbsDiff(bidiA[0], bidiB[0])).isGreaterThan(1e-4f);
    }

    @Test
    void aBidirectionalLastLayerAloneDoesNotChangeTheLastTokenButTwoLayersDo() {
        // The last token attends to every token in causal mode already, so making only the last layer bidirectional
        // leaves its output, the last-token embedding, as it was; one more bidirectional layer below changes it.
        TokenBatch batch = new TokenBatch(List.of(new int[] {3, 14, 15, 92, 65, 35}));
        int last = batch.length(0) - 1;
        float[] causal = hiddenRows(batch, LayerAttention.allCausal(), 0)[last];
        float[] topOnly = hiddenRows(batch, LayerAttention.bidirectionalFrom(CONFIG.numLayers() - 1), 0)[last];
        float[] topTwo = hiddenRows(batch, LayerAttention.bidirectionalFrom(CONFIG.numLayers() - 2), 0)[last];
        assertThat(maxAbsDiff(causal, topOnly)).isLessThan(1e-6f);
        assertThat(maxAbsDiff(causal, topTwo)).isGreaterThan(1e-4f);
    }

    @Test
    void hiddenStatesDoNotDependOnPaddingInTheBatch() {
        int[] sentence = {11, 12, 13, 14};
        List<int[]> padded = List.of(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, sentence, new int[] {20, 21});
        for (LayerAttention attention : List.of(LayerAttention.allCausal(), LayerAttention.bidirectionalFrom(2))) {
            float[][] alone = hiddenRows(new TokenBatch(List.of(sentence)), attention, 0);
            float[][] inBatch = hiddenRows(new TokenBatch(padded), attention, 1);
            for (int pos = 0; pos < sentence.length; pos++) {
                assertThat(maxAbsDiff(alone[pos], inBatch[pos])).as("%s, position %d", attention, pos)
                        .isLessThan(1e-5f);
            }
        }
    }

    @Test
    void aSharedPromptPrefixRunsOnceWithTheSameHiddenStates() {
        // like prompted sentences: the same opening tokens, then each sentence (of its own length) and the same end
        List<int[]> prompted = List.of(new int[] {9, 8, 7, 6, 31, 32, 33, 5}, new int[] {9, 8, 7, 6, 40, 5},
                new int[] {9, 8, 7, 6, 50, 51, 52, 53, 54, 5});
        TokenBatch batch = new TokenBatch(prompted);
        assertThat(batch.sharedPrefixLength()).isEqualTo(4);
        assertThat(new TokenBatch(List.of(prompted.get(0))).sharedPrefixLength()).as("one sequence").isZero();
        assertThat(new TokenBatch(List.of(new int[] {9, 8}, new int[] {9, 8, 7})).sharedPrefixLength())
                .as("each sequence keeps a token of its own").isEqualTo(1);
        int layers = CONFIG.numLayers();
        for (LayerAttention attention : List.of(LayerAttention.allCausal(), LayerAttention.bidirectionalFrom(2),
                LayerAttention.bidirectionalFrom(0))) {
            for (int s = 0; s < prompted.size(); s++) {
                float[][] alone = hiddenRows(new TokenBatch(List.of(prompted.get(s))), attention, 0);
                float[][] shared = hiddenRows(batch, attention, s);
                for (int pos = 0; pos < alone.length; pos++) {
                    assertThat(maxAbsDiff(alone[pos], shared[pos])).as("%s, sequence %d, position %d of %d layers",
                            attention, s, pos, layers).isLessThan(1e-5f);
                }
            }
        }
    }

    @Test
    void keptPrefixStatesGiveTheHiddenStatesOfAFullForward() {
        int[] opening = {9, 8, 7};
        List<TokenBatch> batches = List.of(
                new TokenBatch(List.of(new int[] {9, 8, 7, 6, 31, 32, 33, 5}, new int[] {9, 8, 7, 6, 40, 5},
                        new int[] {9, 8, 7, 50, 51, 52, 53, 54, 5})), // padded, sharing more than the kept tokens
                new TokenBatch(List.of(new int[] {9, 8, 7, 60, 61, 5}, new int[] {9, 8, 7, 70, 71, 5})), // no padding
                new TokenBatch(List.of(new int[] {9, 8, 7, 6, 5})), // one sequence
                new TokenBatch(List.of(new int[] {9, 8, 7, 6}, new int[] {9, 8, 7}))); // one with no token of its own
        int layers = CONFIG.numLayers();
        int arraysBefore = model.manager().getManagedArrays().size();
        try (PromptPrefixStates kept = model.promptPrefixStates(opening)) {
            int arraysWithStates = model.manager().getManagedArrays().size();
            assertThat(arraysWithStates - arraysBefore).as("keys and values per layer, hidden state before and after each")
                    .isEqualTo(2 * layers + layers + 1);
            for (LayerAttention attention : List.of(LayerAttention.allCausal(), LayerAttention.bidirectionalFrom(2),
                    LayerAttention.bidirectionalFrom(0))) {
                for (TokenBatch batch : batches) {
                    try (NDManager scope = root.newSubManager()) {
                        List<NDArray> full = model.forwardEachLayer(scope, batch, attention, 1, layers);
                        List<NDArray> fromKept = model.forwardEachLayer(scope, batch, attention, 1, layers, kept);
                        for (int n = 1; n <= layers; n++) {
                            float[] expected = realPositions(full.get(n - 1), batch);
                            float[] actual = realPositions(fromKept.get(n - 1), batch);
                            assertThat(maxAbsDiff(expected, actual)).as("%s, batch of %d, %d layers", attention,
                                    batch.size(), n).isLessThan(1e-5f);
                        }
                    }
                }
            }
            assertThat(model.manager().getManagedArrays()).as("nothing left with the kept states")
                    .hasSize(arraysWithStates);
        }
    }

    /** The hidden state [B, T, H] at each sequence's real positions, padding left out. */
    private static float[] realPositions(NDArray hidden, TokenBatch batch) {
        float[] all = hidden.toFloatArray();
        int h = CONFIG.hiddenSize();
        float[] real = new float[batch.tokenCount() * h];
        int at = 0;
        for (int b = 0; b < batch.size(); b++) {
            int length = batch.length(b) * h;
            System.arraycopy(all, b * batch.maxLength() * h, real, at, length);
            at += length;
        }
        return real;
    }

    @Test
    void eachLayerOutputEqualsATruncatedModel() {
        for (TokenBatch batch : List.of(new TokenBatch(List.of(new int[] {4, 8, 15, 16, 23, 42}, new int[] {7, 7})),
                new TokenBatch(List.of(new int[] {4, 8, 15, 16, 23, 42}, new int[] {4, 8, 7})))) {
            eachLayerOutputEqualsATruncatedModel(batch);
        }
    }

    private void eachLayerOutputEqualsATruncatedModel(TokenBatch batch) {
        Map<String, Tensor> weights = TinyModelFactory.randomWeights(CONFIG, 7);
        try (NDManager scope = root.newSubManager()) {
            List<NDArray> each = model.forwardEachLayer(scope, batch, LayerAttention.allCausal(), 1, CONFIG.numLayers());
            assertThat(each).hasSize(CONFIG.numLayers());
            for (int n = 1; n <= CONFIG.numLayers(); n++) {
                LlamaConfig truncated = CONFIG.withLayers(n);
                try (LlamaModel small = LlamaModel.fromTensors(truncated, weights::get, root)) {
                    float[] expected = small.forward(scope, batch, LayerAttention.allCausal()).toFloatArray();
                    assertThat(maxAbsDiff(expected, each.get(n - 1).toFloatArray())).as("n=%d", n).isLessThan(1e-6f);
                }
            }
        }
    }

    @Test
    void forwardLeavesNothingInTheModelsManager() {
        int before = model.manager().getManagedArrays().size();
        try (NDManager scope = root.newSubManager()) {
            model.forward(scope, new TokenBatch(List.of(new int[] {1, 2, 3})), LayerAttention.bidirectionalFrom(1));
            model.forward(scope, new TokenBatch(List.of(new int[] {1, 2, 3}, new int[] {1, 2, 4, 5})),
                    LayerAttention.bidirectionalFrom(1));
        }
        assertThat(model.manager().getManagedArrays()).hasSize(before);
    }

    @Test
    void rejectsMissingTensorsAndWrongShapes() {
        Map<String, Tensor> weights = new java.util.HashMap<>(TinyModelFactory.randomWeights(CONFIG, 1));
        weights.remove("model.layers.2.mlp.up_proj.weight");
        assertThatThrownBy(() -> LlamaModel.fromTensors(CONFIG, weights::get, root))
                .hasMessageContaining("missing tensor model.layers.2.mlp.up_proj.weight");

        weights.put("model.layers.2.mlp.up_proj.weight", new Tensor("x", new int[] {2, 3}, new float[6]));
        assertThatThrownBy(() -> LlamaModel.fromTensors(CONFIG, weights::get, root))
                .hasMessageContaining("has shape [2, 3], the config needs [128, 64]");
    }

    static float maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
