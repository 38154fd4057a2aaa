package ai.bellm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CurveShardTest {

    private static CurvePoint p(int layers, double score) {
        return new CurvePoint(layers, score);
    }

    @Test
    void mergesShardsGivenInAnyOrder() {
        CurveShard high = new CurveShard("shard-2", List.of(p(5, 0.6), p(6, 0.3)));
        CurveShard low = new CurveShard("shard-1", List.of(p(1, 0.8), p(2, 0.8), p(3, 0.79)));

        assertThat(CurveShard.merge(List.of(high, low)))
                .containsExactly(p(1, 0.8), p(2, 0.8), p(3, 0.79), p(5, 0.6), p(6, 0.3));
    }

    @Test
    void singleShardIsItsOwnCurve() {
        assertThat(CurveShard.merge(List.of(new CurveShard("all", List.of(p(0, 0.5)))))).containsExactly(p(0, 0.5));
    }

    @Test
    void overlappingRangesAreRejectedEvenWithoutACommonPoint() {
        CurveShard a = new CurveShard("a", List.of(p(1, 0.8), p(5, 0.7)));
        CurveShard b = new CurveShard("b", List.of(p(3, 0.75), p(8, 0.2)));

        assertThatThrownBy(() -> CurveShard.merge(List.of(b, a)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shards overlap: 'a' covers n=1..5 and 'b' covers n=3..8");
        CurveShard again = new CurveShard("a-retry", List.of(p(5, 0.7)));
        assertThatThrownBy(() -> CurveShard.merge(List.of(a, again)))
                .hasMessage("shards overlap: 'a' covers n=1..5 and 'a-retry' covers n=5..5");
    }

    @Test
    void invalidShardsAreRejected() {
        assertThatThrownBy(() -> CurveShard.merge(List.of())).hasMessage("no shards to merge");
        assertThatThrownBy(() -> new CurveShard("s", List.of())).hasMessage("shard 's' has no points");
        assertThatThrownBy(() -> new CurveShard("s", List.of(p(4, 0.1), p(2, 0.2))))
                .hasMessage("shard 's' must be sorted by layers without duplicates, but n=2 follows n=4");
    }
}
