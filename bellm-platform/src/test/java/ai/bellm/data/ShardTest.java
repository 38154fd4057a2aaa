package ai.bellm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardTest {

    @Test
    void slicesAreContiguousDisjointBalancedAndCoverTheItems() {
        for (int size = 1; size <= 40; size++) {
            for (int count = 1; count <= size; count++) {
                List<Shard.Slice> slices = new ArrayList<>();
                for (int i = 1; i <= count; i++) {
                    slices.add(new Shard(i, count).slice(size, "pairs"));
                }
                assertThat(slices.get(0).from()).isZero();
                assertThat(slices.get(count - 1).to()).isEqualTo(size);
                for (int i = 1; i < count; i++) {
                    assertThat(slices.get(i).from()).isEqualTo(slices.get(i - 1).to());
                    // the larger slices come first
                    assertThat(length(slices.get(i))).isLessThanOrEqualTo(length(slices.get(i - 1)));
                }
                int min = slices.stream().mapToInt(ShardTest::length).min().orElseThrow();
                int max = slices.stream().mapToInt(ShardTest::length).max().orElseThrow();
                assertThat(max - min).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void fifteenHundredPairsInFourShards() {
        assertThat(List.of(1, 2, 3, 4)).map(i -> new Shard(i, 4).slice(1500, "pairs"))
                .containsExactly(new Shard.Slice(0, 375), new Shard.Slice(375, 750), new Shard.Slice(750, 1125),
                        new Shard.Slice(1125, 1500));
        assertThat(Shard.WHOLE.slice(7, "pairs")).isEqualTo(new Shard.Slice(0, 7));
        assertThat(new Shard(2, 3).slice(7, "pairs").of(List.of(0, 1, 2, 3, 4, 5, 6))).containsExactly(3, 4);
    }

    @Test
    void parsesAndRejects() {
        assertThat(Shard.parse(" 2/4 ")).isEqualTo(new Shard(2, 4));
        assertThat(Shard.parse("2/4")).hasToString("2/4");
        assertThatThrownBy(() -> Shard.parse("0/4")).hasMessage("bad --shard '0/4': expected i/n with 1 <= i <= n");
        assertThatThrownBy(() -> Shard.parse("1/0")).hasMessage("bad --shard '1/0': expected i/n with 1 <= i <= n");
        assertThatThrownBy(() -> Shard.parse("-1/4")).hasMessage("bad --shard '-1/4': expected i/n (1-based), e.g. 2/4");
        assertThatThrownBy(() -> Shard.parse("1/99999999999")).hasMessage("bad --shard '1/99999999999': number too large");
        assertThatThrownBy(() -> new Shard(3, 3).slice(2, "task 'dev' pairs"))
                .hasMessage("cannot split task 'dev' pairs (2) into 3 shards");
    }

    private static int length(Shard.Slice slice) {
        return slice.to() - slice.from();
    }
}
