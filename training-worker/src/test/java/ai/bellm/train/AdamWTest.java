package ai.bellm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamWTest {

    private static final float[] G1 = {0.5f, -1.0f};
    private static final float[] G2 = {-0.5f, 2.0f};
    private static final AdamW.Settings SETTINGS = new AdamW.Settings(0.9, 0.999, 1e-8, 0.01);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private Map<String, NDArray> parameters() {
        Map<String, NDArray> parameters = new LinkedHashMap<>();
        for (String name : new String[] {"w", "norm"}) {
            NDArray p = manager.create(new float[] {1.0f, -2.0f});
            p.setRequiresGradient(true);
            parameters.put(name, p);
        }
        return parameters;
    }

    /** Backward of Σ_k g_k·p_k, whose gradient is g for every parameter (when the gradients were zero). */
    private void backward(Map<String, NDArray> parameters, float[] g) {
        backwardUnchecked(parameters, g);
        for (NDArray p : parameters.values()) {
            assertThat(p.getGradient().toFloatArray()).as("gradient").containsExactly(g);
        }
    }

    private void backwardUnchecked(Map<String, NDArray> parameters, float[] g) {
        try (NDManager scope = manager.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (NDArray p : parameters.values()) {
                NDArray term = scope.create(g).mul(p).sum();
                loss = loss == null ? term : loss.add(term);
            }
            collector.backward(loss);
        }
    }

    @Test
    void twoStepsMatchTheHandComputation() {
        // lr 0.1, β1 0.9, β2 0.999, ε 1e-8, λ 0.01; p = [1, −2]; g1 = [0.5, −1], g2 = [−0.5, 2]
        // step 1: m = 0.1·g1 = [0.05, −0.1]; v = 0.001·g1² = [0.00025, 0.001]; m̂ = m/0.1 = g1; v̂ = v/0.001 = g1²
        //   so the Adam step is lr·g1/(|g1| + ε) = [0.099999998, −0.099999999]
        //   w (decayed):   p·(1 − 0.1·0.01) = [0.999, −1.998]   → [0.899000002, −1.898000001]
        //   norm (no decay):                                    → [0.900000002, −1.900000001]
        // step 2: m = 0.9·m + 0.1·g2 = [−0.005, 0.11]; v = 0.999·v + 0.001·g2² = [0.00049975, 0.004999]
        //   m̂ = m/(1 − 0.9²) = m/0.19 = [−0.0263157895, 0.5789473684]
        //   v̂ = v/(1 − 0.999²) = v/0.001999 = [0.25, 2.5007503752], sqrt = [0.5, 1.5813760]
        //   Adam step = lr·m̂/(sqrt v̂ + ε) = [−0.0052631578, 0.0366103525]
        //   w:    [0.899000002, −1.898000001]·0.999 = [0.898101002, −1.896102001] → [0.9033641598, −1.9327123535]
        //   norm: [0.900000002, −1.900000001]                                      → [0.9052631598, −1.9366103535]
        // (the arithmetic checked with a few lines of Python, float64)
        Map<String, NDArray> parameters = parameters();
        try (AdamW adamW = new AdamW(parameters, Set.of("w"), SETTINGS)) {
            backward(parameters, G1);
            adamW.step(0.1);
            assertThat(parameters.get("w").toFloatArray()).containsExactly(new float[] {0.899000002f, -1.898000001f},
                    within(1e-6f));
            assertThat(parameters.get("norm").toFloatArray())
                    .containsExactly(new float[] {0.900000002f, -1.900000001f}, within(1e-6f));

            adamW.zeroGradients();
            backward(parameters, G2);
            adamW.step(0.1);
            assertThat(adamW.steps()).isEqualTo(2);
            assertThat(parameters.get("w").toFloatArray())
                    .containsExactly(new float[] {0.9033641598f, -1.9327123535f}, within(1e-6f));
            assertThat(parameters.get("norm").toFloatArray())
                    .containsExactly(new float[] {0.9052631598f, -1.9366103535f}, within(1e-6f));
            assertThat(adamW.state().get("m/w")).containsExactly(new float[] {-0.005f, 0.11f}, within(1e-7f));
            assertThat(adamW.state().get("v/w")).containsExactly(new float[] {0.00049975f, 0.004999f}, within(1e-9f));
        }
    }

    @Test
    void stateRoundTripContinuesExactly() {
        Map<String, NDArray> original = parameters();
        Map<String, NDArray> resumed = parameters();
        try (AdamW first = new AdamW(original, Set.of("w"), SETTINGS);
             AdamW second = new AdamW(resumed, Set.of("w"), SETTINGS)) {
            backward(original, G1);
            first.step(0.1);
            Map<String, float[]> state = first.state();
            assertThat(state.get(AdamW.STEP_KEY)).containsExactly(1f);

            // the resumed run: parameters as saved, optimizer state loaded
            resumed.forEach((name, p) -> p.set(original.get(name).toFloatArray()));
            second.load(state);
            assertThat(second.steps()).isEqualTo(1);

            first.zeroGradients();
            backward(original, G2);
            first.step(0.05);
            backward(resumed, G2); // fresh parameters: no gradient yet
            second.step(0.05);
            for (String name : original.keySet()) {
                assertThat(resumed.get(name).toFloatArray()).containsExactly(original.get(name).toFloatArray());
            }
        }
    }

    @Test
    void gradientsAccumulateAcrossCollectorsUntilZeroed() {
        Map<String, NDArray> parameters = parameters();
        try (AdamW adamW = new AdamW(parameters, Set.of(), SETTINGS)) {
            backward(parameters, new float[] {Float.NaN, 1f});
            backwardUnchecked(parameters, G1);
            assertThat(parameters.get("w").getGradient().toFloatArray()[1]).as("1 + g1").isEqualTo(0f);
            adamW.zeroGradients();
            assertThat(parameters.get("w").getGradient().toFloatArray()).containsExactly(0f, 0f);
            backward(parameters, G1);
        }
    }

    @Test
    void rejectsMismatchedStateAndSettings() {
        Map<String, NDArray> parameters = parameters();
        try (AdamW adamW = new AdamW(parameters, Set.of(), SETTINGS)) {
            Map<String, float[]> state = new LinkedHashMap<>(adamW.state());
            state.put("m/w", new float[3]);
            assertThatThrownBy(() -> adamW.load(state)).hasMessageContaining("'m/w'");
            assertThatThrownBy(() -> adamW.load(Map.of())).hasMessageContaining("step");
        }
        assertThatThrownBy(() -> new AdamW(parameters, Set.of("bias"), SETTINGS)).hasMessageContaining("'bias'");
        assertThatThrownBy(() -> new AdamW.Settings(1.0, 0.999, 1e-8, 0)).hasMessageContaining("betas");
    }
}
