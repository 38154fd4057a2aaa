package ai.bellm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.weights.Tensor;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrainableWeightsTest {

    private static final LlamaConfig CONFIG = TinyModelFactory.tinyConfig();
    private static final LoraConfig LORA =
            new LoraConfig(4, 8f, 0f, EnumSet.of(DecoderLayer.Proj.Q, DecoderLayer.Proj.V, DecoderLayer.Proj.DOWN), 2, 3);
    private static final TokenBatch BATCH = new TokenBatch(List.of(new int[] {5, 6, 7, 8}, new int[] {9, 10}));

    private NDManager root;

    @BeforeEach
    void open() {
        root = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        root.close();
    }

    private LlamaModel freshModel() {
        return LlamaModel.fromTensors(CONFIG, TinyModelFactory.randomWeights(CONFIG, 11)::get, root);
    }

    private float[] output(LlamaModel model) {
        try (NDManager scope = root.newSubManager()) {
            return model.forward(scope, BATCH, LayerAttention.bidirectionalFrom(3)).toFloatArray();
        }
    }

    @Test
    void freshAdaptersLeaveTheModelUnchangedAndOnlyTheyGetGradients() {
        LlamaModel model = freshModel();
        float[] before = output(model);
        TrainableWeights trainable = TrainableWeights.attach(model, Optional.of(LORA), CONFIG.numLayers(), 5);
        assertThat(output(model)).containsExactly(before);
        assertThat(trainable.firstTrainableLayer()).isEqualTo(2);
        trainable.requireGradients();
        assertThat(trainable.parameters()).hasSize(2 * 3 * 2)
                .containsKey("model.layers.2.self_attn.q_proj.lora_A.weight")
                .containsKey("model.layers.3.mlp.down_proj.lora_B.weight");

        try (NDManager scope = root.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray hidden = model.forward(scope, BATCH, LayerAttention.allCausal());
            collector.backward(hidden.square().sum());
        }
        NDArray gradB = trainable.parameters().get("model.layers.3.mlp.down_proj.lora_B.weight").getGradient();
        assertThat(gradB.abs().sum().getFloat()).isGreaterThan(0f);
        assertThat(model.layer(1).projection(DecoderLayer.Proj.Q).base().weightInOut().hasGradient()).isFalse();
    }

    @Test
    void exportedWeightsLoadBackIntoAFreshModel() {
        LlamaModel trained = freshModel();
        TrainableWeights weights = TrainableWeights.attach(trained, Optional.of(LORA), 3, 5);
        weights.parameters().values().forEach(p -> p.set(randomLike(p)));
        Map<String, Tensor> exported = weights.export();
        assertThat(exported.get("model.layers.2.self_attn.q_proj.lora_A.weight").shape()).containsExactly(4, 64);
        assertThat(exported.get("model.layers.2.self_attn.q_proj.lora_B.weight").shape()).containsExactly(64, 4);
        assertThat(exported.get("model.layers.3.mlp.up_proj.weight").shape()).containsExactly(128, 64);

        LlamaModel copy = freshModel();
        TrainableWeights.attach(copy, Optional.of(LORA), 3, 99).load(exported);
        assertThat(output(copy)).containsExactly(output(trained));

        exported.remove("model.layers.3.mlp.up_proj.weight");
        assertThatThrownBy(() -> TrainableWeights.attach(freshModel(), Optional.of(LORA), 3, 1).load(exported))
                .hasMessageContaining("lack model.layers.3.mlp.up_proj.weight");
    }

    @Test
    void rejectsRangesOutsideTheModelAndEmptyTraining() {
        LoraConfig beyond = new LoraConfig(2, 4f, 0f, EnumSet.of(DecoderLayer.Proj.Q), 2, 7);
        assertThatThrownBy(() -> TrainableWeights.attach(freshModel(), Optional.of(beyond), 4, 1))
                .hasMessageContaining("beyond the model's 4 layers");
        assertThatThrownBy(() -> TrainableWeights.attach(freshModel(), Optional.empty(), 4, 1))
                .hasMessageContaining("nothing to train");
        assertThatThrownBy(() -> LoraConfig.parseTargets("q,x"))
                .hasMessageContaining("unknown LoRA target 'x'");
    }

    private static float[] randomLike(NDArray p) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(p.size());
        float[] values = new float[Math.toIntExact(p.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() - 0.5) * 0.1f;
        }
        return values;
    }
}
