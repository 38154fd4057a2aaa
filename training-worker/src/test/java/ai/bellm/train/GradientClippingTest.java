package ai.bellm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    /** Gradients [3, 0] and [0, 4]: global norm 5. */
    private static List<NDArray> parametersWithGradients(NDManager manager) {
        NDArray a = manager.create(new float[] {1, 1});
        NDArray b = manager.create(new float[] {1, 1});
        a.setRequiresGradient(true);
        b.setRequiresGradient(true);
        try (NDManager scope = manager.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = scope.create(new float[] {3, 0}).mul(a).sum()
                    .add(scope.create(new float[] {0, 4}).mul(b).sum());
            collector.backward(loss);
        }
        return List.of(a, b);
    }

    @Test
    void scalesGradientsAboveTheMaximum() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            List<NDArray> parameters = parametersWithGradients(manager);
            assertThat(GradientClipping.clipByGlobalNorm(parameters, 1.0)).isCloseTo(5.0, within(1e-6));
            // factor 1 / (5 + 1e-6)
            assertThat(parameters.get(0).getGradient().toFloatArray()).containsExactly(new float[] {0.6f, 0}, within(1e-6f));
            assertThat(parameters.get(1).getGradient().toFloatArray()).containsExactly(new float[] {0, 0.8f}, within(1e-6f));
            // now at norm ≈ 1: reported, left alone
            assertThat(GradientClipping.clipByGlobalNorm(parameters, 1.0)).isCloseTo(1.0, within(1e-6));
            assertThat(parameters.get(1).getGradient().toFloatArray()).containsExactly(new float[] {0, 0.8f}, within(1e-6f));
        }
    }

    @Test
    void leavesGradientsBelowTheMaximum() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            List<NDArray> parameters = parametersWithGradients(manager);
            assertThat(GradientClipping.clipByGlobalNorm(parameters, 10.0)).isCloseTo(5.0, within(1e-6));
            assertThat(parameters.get(0).getGradient().toFloatArray()).containsExactly(3f, 0f);
            assertThat(parameters.get(1).getGradient().toFloatArray()).containsExactly(0f, 4f);
        }
    }
}
