package ai.bellm.loss;

import static ai.bellm.loss.LossFixtures.A;
import static ai.bellm.loss.LossFixtures.N;
import static ai.bellm.loss.LossFixtures.P;
import static ai.bellm.loss.LossFixtures.RANGE;
import static ai.bellm.loss.LossFixtures.U;
import static ai.bellm.loss.LossFixtures.V;
import static ai.bellm.loss.LossFixtures.Y;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backward through each loss (w.r.t. the first embedding matrix, in float64) against a central finite difference on
 * the coordinate with the largest gradient.
 */
class LossGradientTest {

    private static final double H = 1e-6;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** loss(first, manager) for a first matrix given as rows. */
    private void checkGradient(double[][] first, BiFunction<NDArray, NDManager, NDArray> loss) {
        double[] gradient;
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(first);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(loss.apply(x, scope));
            }
            gradient = x.getGradient().toDoubleArray();
        }
        assertThat(Arrays.stream(gradient).allMatch(Double::isFinite)).as("finite gradient").isTrue();
        int k = 0;
        for (int i = 1; i < gradient.length; i++) {
            k = Math.abs(gradient[i]) > Math.abs(gradient[k]) ? i : k;
        }
        assertThat(Math.abs(gradient[k])).as("largest |gradient|").isGreaterThan(1e-6);

        int d = first[0].length;
        double numeric = (at(first, k / d, k % d, H, loss) - at(first, k / d, k % d, -H, loss)) / (2 * H);
        assertThat(gradient[k]).isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
    }

    private double at(double[][] first, int row, int col, double delta,
                      BiFunction<NDArray, NDManager, NDArray> loss) {
        double[][] moved = Arrays.stream(first).map(double[]::clone).toArray(double[][]::new);
        moved[row][col] += delta;
        try (NDManager scope = manager.newSubManager()) {
            return loss.apply(scope.create(moved), scope).getDouble();
        }
    }

    @Test
    void cosent() {
        checkGradient(U, (u, m) -> CosentLoss.compute(u, m.create(V), m.create(Y), 20));
    }

    @Test
    void angle() {
        checkGradient(U, (u, m) -> AngleLoss.compute(u, m.create(V), m.create(Y), 20));
    }

    @Test
    void infoNceScored() {
        checkGradient(U, (u, m) -> InfoNceLoss.scored(u, m.create(V), m.create(Y), RANGE, 0.8, 20));
    }

    @Test
    void infoNceTriplets() {
        checkGradient(A, (a, m) -> InfoNceLoss.triplets(a, m.create(P), m.create(N), 20));
    }

    @Test
    void objective() {
        checkGradient(U, (u, m) -> AnglEObjective.defaults().scoredPairs(u, m.create(V), m.create(Y), RANGE).total());
    }

    @Test
    void scoredInfoNceWithoutPositiveBacksUpZeros() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray u = scope.create(U);
            u.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray low = scope.create(new double[] {1, 2, 3, 3.9});
                collector.backward(InfoNceLoss.scored(u, scope.create(V), low, RANGE, 0.8, 20));
            }
            assertThat(u.getGradient().toDoubleArray()).containsOnly(0.0);
        }
    }
}
