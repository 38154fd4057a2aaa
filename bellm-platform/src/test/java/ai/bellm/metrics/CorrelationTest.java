package ai.bellm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CorrelationTest {

    private static final double[] X = {1, 2, 3, 4, 5};
    private static final double[] Y = {2, 4, 5, 4, 5};

    @Test
    void pearsonByHand() {
        // mean x = 3, mean y = 4; dx = -2 -1 0 1 2, dy = -2 0 1 0 1
        // sxy = 4+0+0+0+2 = 6, sxx = 10, syy = 4+0+1+0+1 = 6  =>  r = 6 / sqrt(60) = 0.7745966692...
        assertThat(Correlation.pearson(X, Y)).isCloseTo(6 / Math.sqrt(60), within(1e-12));
        assertThat(Correlation.pearson(X, Y)).isCloseTo(0.7745966692, within(1e-10));
    }

    @Test
    void spearmanWithTiesByHand() {
        // ranks x = 1 2 3 4 5; y = 2 4 5 4 5 -> 2 is rank 1, the two 4s share ranks 2,3 -> 2.5, the two 5s share 4,5 -> 4.5
        // ranks y = 1 2.5 4.5 2.5 4.5, mean 3; dy = -2 -0.5 1.5 -0.5 1.5, dx = -2 -1 0 1 2
        // sxy = 4+0.5+0-0.5+3 = 7, sxx = 10, syy = 4+0.25+2.25+0.25+2.25 = 9  =>  rho = 7 / sqrt(90) = 0.7378647873...
        assertThat(Correlation.spearman(X, Y)).isCloseTo(7 / Math.sqrt(90), within(1e-12));
        assertThat(Correlation.spearman(X, Y)).isCloseTo(0.7378647873, within(1e-10));
    }

    @Test
    void ranksAverageTies() {
        // sorted: 5 (rank 1), 10 (rank 2), 20 and 20 (ranks 3 and 4 -> 3.5)
        assertThat(Correlation.ranks(new double[] {10, 20, 20, 5})).containsExactly(2, 3.5, 3.5, 1);
        assertThat(Correlation.ranks(new double[] {7, 7, 7})).containsExactly(2, 2, 2);
    }

    @Test
    void spearmanSeesOnlyTheOrder() {
        double[] x = {1, 2, 3, 4};
        assertThat(Correlation.spearman(x, new double[] {1, 4, 9, 16})).isEqualTo(1.0);
        assertThat(Correlation.spearman(x, new double[] {16, 9, 4, 1})).isEqualTo(-1.0);
        assertThat(Correlation.pearson(x, new double[] {1, 4, 9, 16})).isLessThan(1.0);
    }

    @Test
    void perfectCorrelationStaysWithinOne() {
        double[] x = {0.1, 0.2, 0.3, 0.7, 1.1};
        double[] y = {0.3, 0.6, 0.9, 2.1, 3.3};
        assertThat(Correlation.pearson(x, y)).isCloseTo(1.0, within(1e-12)).isLessThanOrEqualTo(1.0);
    }

    @Test
    void constantInputGivesNaN() {
        assertThat(Correlation.pearson(X, new double[] {3, 3, 3, 3, 3})).isNaN();
        assertThat(Correlation.spearman(new double[] {1, 1}, new double[] {1, 2})).isNaN();
    }

    @Test
    void invalidInputIsRejected() {
        assertThatThrownBy(() -> Correlation.pearson(new double[] {1, 2}, new double[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("samples differ in length: 2 vs 3");
        assertThatThrownBy(() -> Correlation.spearman(new double[] {1}, new double[] {1}))
                .hasMessage("correlation needs at least 2 values, got 1");
        assertThatThrownBy(() -> Correlation.pearson(new double[] {1, Double.NaN}, new double[] {1, 2}))
                .hasMessage("non-finite value at index 1: (NaN, 2.0)");
    }
}
