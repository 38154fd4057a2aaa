package ai.bellm.loss;

import static ai.bellm.loss.LossFixtures.A;
import static ai.bellm.loss.LossFixtures.N;
import static ai.bellm.loss.LossFixtures.P;
import static ai.bellm.loss.LossFixtures.RANGE;
import static ai.bellm.loss.LossFixtures.TAU;
import static ai.bellm.loss.LossFixtures.U;
import static ai.bellm.loss.LossFixtures.V;
import static ai.bellm.loss.LossFixtures.Y;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Loss values against bench/python/angle_reference.py (see {@link LossFixtures}) and small hand computations. */
class AnglEObjectiveTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray matrix(double[][] rows) {
        return manager.create(rows);
    }

    private static double value(NDArray scalar) {
        assertThat(scalar.getShape().isScalar()).as("shape %s", scalar.getShape()).isTrue();
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }

    private static void assertClose(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(1e-12 + 1e-9 * Math.abs(expected)));
    }

    @Test
    void cosentByHand() {
        // pair 0: cos(u0, v0) = 0.8, pair 1: cos(u1, v1) = 0.6, but gold ranks pair 1 higher (0.9 > 0.2):
        // loss = log(1 + exp(τ·0.8 − τ·0.6)) = log(1 + e^4) = 4.0181499279178094
        NDArray u = matrix(new double[][] {{1, 0}, {1, 0}});
        NDArray v = matrix(new double[][] {{0.8, 0.6}, {0.6, 0.8}});
        NDArray gold = manager.create(new double[] {0.2, 0.9});
        assertClose(value(CosentLoss.compute(u, v, gold, TAU)), Math.log1p(Math.exp(4)));
        assertClose(value(CosentLoss.compute(u, v, gold, TAU)), 4.0181499279178094);
        // correctly ordered: log(1 + e^-4)
        NDArray swapped = manager.create(new double[] {0.9, 0.2});
        assertClose(value(CosentLoss.compute(u, v, swapped, TAU)), Math.log1p(Math.exp(-4)));
    }

    @Test
    void rankingLossesAreZeroWhenAllGoldScoresTie() {
        // no ordered pair: log(1 + empty sum) = 0
        NDArray gold = manager.create(new double[] {3, 3, 3, 3});
        assertThat(value(CosentLoss.compute(matrix(U), matrix(V), gold, TAU))).isEqualTo(0.0);
        assertThat(value(AngleLoss.compute(matrix(U), matrix(V), gold, TAU))).isEqualTo(0.0);
    }

    @Test
    void angleSimilarityByHand() {
        // D = 2: z = 1 + 0i, w = 0 + 1i. q = z·conj(w) / (|z||w|) = (1)(−i) = −i, Re + Im = −1, |−1| = 1.
        // z = 3 + 4i, w = 3 + 4i: q = |z|² / |z|² = 1, Re + Im = 1.
        NDArray u = matrix(new double[][] {{1, 0}, {3, 4}});
        NDArray v = matrix(new double[][] {{0, 1}, {3, 4}});
        assertThat(AngleLoss.similarities(u, v).toDoubleArray()).containsExactly(new double[] {1, 1}, within(1e-15));
    }

    @Test
    void cosentMatchesReference() {
        assertClose(value(CosentLoss.compute(matrix(U), matrix(V), manager.create(Y), TAU)), LossFixtures.COSENT);
    }

    @Test
    void angleMatchesReference() {
        assertClose(value(AngleLoss.compute(matrix(U), matrix(V), manager.create(Y), TAU)), LossFixtures.ANGLE);
    }

    @Test
    void infoNceMatchesReference() {
        assertClose(value(InfoNceLoss.pairs(matrix(A), matrix(P), TAU)), LossFixtures.INFONCE_PAIRS);
        assertClose(value(InfoNceLoss.triplets(matrix(A), matrix(P), matrix(N), TAU)), LossFixtures.INFONCE_TRIPLETS);
        // anchors: the pairs scoring ≥ 0.8 of 0–5, i.e. pairs 0 (4.6) and 3 (4.0)
        assertClose(value(InfoNceLoss.scored(matrix(U), matrix(V), manager.create(Y), RANGE, 0.8, TAU)),
                LossFixtures.INFONCE_SCORED);
    }

    @Test
    void scoredInfoNceWithoutPositiveIsZero() {
        NDArray low = manager.create(new double[] {1, 2, 3, 3.9});
        assertThat(value(InfoNceLoss.scored(matrix(U), matrix(V), low, RANGE, 0.8, TAU))).isEqualTo(0.0);
    }

    @Test
    void objectiveWeightsTheParts() {
        LossValue loss = AnglEObjective.defaults().scoredPairs(matrix(U), matrix(V), manager.create(Y), RANGE);
        assertClose(value(loss.total()), LossFixtures.TOTAL_SCORED_DEFAULT);
        assertThat(loss.toDoubles()).containsOnlyKeys("total", "cosent", "infonce", "angle");
        assertClose(loss.toDoubles().get("angle"), LossFixtures.ANGLE);

        LossValue cosentOnly = AnglEObjective.withWeights(2, 0, 0)
                .scoredPairs(matrix(U), matrix(V), manager.create(Y), RANGE);
        assertThat(cosentOnly.parts()).containsOnlyKeys("cosent");
        assertClose(value(cosentOnly.total()), 2 * LossFixtures.COSENT);

        LossValue triplets = AnglEObjective.defaults().triplets(matrix(A), matrix(P), matrix(N));
        assertClose(value(triplets.total()), LossFixtures.INFONCE_TRIPLETS);
    }

    @Test
    void float32GivesTheSameValues() {
        NDArray u = matrix(U).toType(DataType.FLOAT32, false);
        NDArray v = matrix(V).toType(DataType.FLOAT32, false);
        LossValue loss = AnglEObjective.defaults().scoredPairs(u, v, manager.create(Y), RANGE);
        assertThat(loss.total().getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(value(loss.total())).isCloseTo(LossFixtures.TOTAL_SCORED_DEFAULT, within(1e-5));
    }

    @Test
    void rejectsBadInputsAndSettings() {
        NDArray odd = matrix(A);
        assertThatThrownBy(() -> AngleLoss.compute(odd, odd, manager.create(new double[] {1, 2, 3}), TAU))
                .hasMessageContaining("even");
        assertThatThrownBy(() -> CosentLoss.compute(matrix(U), matrix(A), manager.create(Y), TAU))
                .hasMessageContaining("same shape");
        assertThatThrownBy(() -> CosentLoss.compute(matrix(U), matrix(V), manager.create(new double[] {1}), TAU))
                .hasMessageContaining("gold scores [4]");
        assertThatThrownBy(() -> AnglEObjective.withWeights(0, 0, 0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> AnglEObjective.withWeights(1, -1, 0)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> AnglEObjective.withWeights(1, 0, 0).pairs(matrix(A), matrix(P)))
                .hasMessageContaining("only InfoNCE");
        assertThatThrownBy(() -> new ScoreRange(5, 5)).hasMessageContaining("min < max");
    }

    @Test
    void scoreRangeSpansTheTrainingScores() {
        ScoreRange range = ScoreRange.spanning(Arrays.asList(
                ai.bellm.data.TrainingExample.scoredPair("a", "b", 1.5),
                ai.bellm.data.TrainingExample.scoredPair("c", "d", 4.5)));
        assertThat(range).isEqualTo(new ScoreRange(1.5, 4.5));
        assertThat(range.normalise(3.9)).isCloseTo(0.8, within(1e-12));
    }
}
