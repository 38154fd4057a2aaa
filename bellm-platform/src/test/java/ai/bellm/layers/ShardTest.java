package ai.bellm.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardTest {

    @Test
    void partsAreContiguousDisjointBalancedAndCoverTheRange() {
        for (int first = 1; first <= 3; first++) {
            for (int last = first; last <= first + 31; last++) {
                LayerRange range = new LayerRange(first, last);
                for (int count = 1; count <= range.size(); count++) {
                    List<LayerRange> parts = new ArrayList<>();
                    for (int i = 1; i <= count; i++) {
                        parts.add(new Shard(i, count).part(range));
                    }
                    assertThat(parts.get(0).first()).isEqualTo(first);
                    assertThat(parts.get(count - 1).last()).isEqualTo(last);
                    for (int i = 1; i < count; i++) {
                        assertThat(parts.get(i).first()).isEqualTo(parts.get(i - 1).last() + 1);
                    }
                    int min = parts.stream().mapToInt(LayerRange::size).min().orElseThrow();
                    int max = parts.stream().mapToInt(LayerRange::size).max().orElseThrow();
                    assertThat(max - min).isLessThanOrEqualTo(1);
                    // the larger parts come first
                    for (int i = 1; i < count; i++) {
                        assertThat(parts.get(i).size()).isLessThanOrEqualTo(parts.get(i - 1).size());
                    }
                }
            }
        }
    }

    @Test
    void thirtyLayersInFourShards() {
        LayerRange range = LayerRange.parseCounts("1-30", "--layers");
        assertThat(List.of(1, 2, 3, 4)).map(i -> new Shard(i, 4).part(range).toString())
                .containsExactly("1-8", "9-16", "17-23", "24-30");
        assertThat(Shard.WHOLE.part(range)).isEqualTo(range);
    }

    @Test
    void parsesAndRejects() {
        assertThat(Shard.parse(" 2/4 ")).isEqualTo(new Shard(2, 4));
        assertThat(Shard.parse("2/4")).hasToString("2/4");
        assertThatThrownBy(() -> Shard.parse("0/4")).hasMessage("bad --shard '0/4': expected i/n with 1 <= i <= n");
        assertThatThrownBy(() -> Shard.parse("1/0")).hasMessage("bad --shard '1/0': expected i/n with 1 <= i <= n");
        assertThatThrownBy(() -> Shard.parse("-1/4")).hasMessage("bad --shard '-1/4': expected i/n (1-based), e.g. 2/4");
        assertThatThrownBy(() -> Shard.parse("1/99999999999")).hasMessage("bad --shard '1/99999999999': number too large");
        assertThatThrownBy(() -> new Shard(3, 3).part(new LayerRange(5, 6)))
                .hasMessage("cannot split --layers 5-6 (2 layer counts) into 3 shards");
    }

    @Test
    void layerRange_parsesAndChecksAgainstTheModel() {
        assertThat(LayerRange.parseCounts("7", "--layers")).isEqualTo(new LayerRange(7, 7));
        assertThat(LayerRange.parseCounts("3-30", "--layers").bounds()).containsExactly(3, 30);
        assertThat(LayerRange.parseCounts("3-30", "--layers").within(30).size()).isEqualTo(28);
        assertThatThrownBy(() -> LayerRange.parseCounts("3-31", "--layers").within(30))
                .hasMessage("--layers 3-31 goes beyond the model's 30 layers (use 1-30 or less)");
        assertThatThrownBy(() -> LayerRange.parseCounts("1-2-3", "--layers")).hasMessage("bad --layers '1-2-3': expected A-B (e.g. 1-30) or N");
    }
}
