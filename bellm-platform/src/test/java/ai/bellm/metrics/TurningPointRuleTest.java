package ai.bellm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurningPointRuleTest {

    private static final TurningPointRule RULE = TurningPointRule.defaults(); // maxDrop 0.03

    /** A curve over n = 1, 2, ... */
    private static List<CurvePoint> curve(double... scores) {
        List<CurvePoint> points = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            points.add(new CurvePoint(i + 1, scores[i]));
        }
        return points;
    }

    private static TurningPoint find(TurningPointRule rule, List<CurvePoint> curve) {
        return rule.find(curve).orElseThrow();
    }

    @Test
    void plateauThenSharpFallAtTheEnd() {
        TurningPoint tp = find(RULE, curve(0.80, 0.81, 0.80, 0.82, 0.81, 0.55, 0.30));

        assertThat(tp.point()).isEqualTo(new CurvePoint(5, 0.81));
        assertThat(tp.peak()).isEqualTo(new CurvePoint(4, 0.82));
        assertThat(tp.dropObserved()).isTrue();
    }

    @Test
    void monotoneIncreasingHasNoDrop() {
        TurningPoint tp = find(RULE, curve(0.50, 0.60, 0.70, 0.75));

        assertThat(tp.point().layers()).isEqualTo(4);
        assertThat(tp.dropObserved()).isFalse();
    }

    @Test
    void noiseBelowTheThresholdAndRecoveredDipsAreIgnored() {
        // n=3 dips 0.07 below the peak 0.83 but n=4,5 come back within 0.03: not a lasting drop
        TurningPoint tp = find(RULE, curve(0.80, 0.83, 0.76, 0.81, 0.82, 0.45));

        assertThat(tp.point().layers()).isEqualTo(5);
        assertThat(tp.peak().layers()).isEqualTo(2);
    }

    @Test
    void riseThenGradualFallIsCutWhereTheLossExceedsTheThreshold() {
        // peak 0.75 at n=3; n=4 loses 0.01, n=5 loses 0.02, n=6 loses 0.05
        TurningPoint tp = find(RULE, curve(0.50, 0.65, 0.75, 0.74, 0.73, 0.70, 0.66));

        assertThat(tp.point().layers()).isEqualTo(5);
        assertThat(tp.peak().layers()).isEqualTo(3);
    }

    @Test
    void fallingFromTheStartTurnsAtTheFirstPoint() {
        TurningPoint tp = find(RULE, List.of(new CurvePoint(0, 0.80), new CurvePoint(1, 0.60), new CurvePoint(2, 0.40)));

        assertThat(tp.point().layers()).isZero();
        assertThat(tp.dropObserved()).isTrue();
    }

    @Test
    void partialCurveWithGaps() {
        List<CurvePoint> partial = List.of(
                new CurvePoint(10, 0.70), new CurvePoint(12, 0.71), new CurvePoint(16, 0.69), new CurvePoint(20, 0.20));

        assertThat(find(RULE, partial).point().layers()).isEqualTo(16);
    }

    @Test
    void thresholdIsConfigurable() {
        List<CurvePoint> c = curve(0.80, 0.81, 0.80, 0.82, 0.81, 0.55, 0.30);

        assertThat(find(new TurningPointRule(0.30), c).point().layers()).isEqualTo(6);
        // maxDrop 0: the last point that equals the peak
        assertThat(find(new TurningPointRule(0), curve(0.8, 0.9, 0.7, 0.9, 0.6)).point().layers()).isEqualTo(4);
    }

    @Test
    void outlierAboveThePlateauBecomesThePeak() {
        // documented limitation: the spike at n=3 is the peak, the plateau after it is 0.06 below
        assertThat(find(RULE, curve(0.80, 0.80, 0.86, 0.80, 0.80, 0.40)).point().layers()).isEqualTo(3);
        assertThat(find(new TurningPointRule(0.07), curve(0.80, 0.80, 0.86, 0.80, 0.80, 0.40)).point().layers())
                .isEqualTo(5);
    }

    @Test
    void nanScoresCountAsDrops() {
        TurningPoint tp = find(RULE, curve(0.80, 0.81, Double.NaN));
        assertThat(tp.point().layers()).isEqualTo(2);
        assertThat(tp.dropObserved()).isTrue();

        assertThat(find(RULE, curve(Double.NaN, 0.5, 0.49)).point().layers()).isEqualTo(3);
        assertThat(RULE.find(curve(Double.NaN, Double.NaN))).isEmpty();
    }

    @Test
    void invalidInputIsRejected() {
        assertThatThrownBy(() -> RULE.find(List.of())).hasMessage("empty curve");
        assertThatThrownBy(() -> RULE.find(List.of(new CurvePoint(3, 0.5), new CurvePoint(2, 0.6))))
                .hasMessage("curve must be sorted by layers without duplicates, but n=2 follows n=3");
        assertThatThrownBy(() -> RULE.find(List.of(new CurvePoint(3, 0.5), new CurvePoint(3, 0.6))))
                .hasMessage("curve must be sorted by layers without duplicates, but n=3 follows n=3");
        assertThatThrownBy(() -> new TurningPointRule(-0.01)).hasMessage("maxDrop must be finite and >= 0, got -0.01");
        assertThatThrownBy(() -> new TurningPointRule(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CurvePoint(-1, 0.5)).hasMessage("number of layers must be >= 0, got -1");
    }
}
