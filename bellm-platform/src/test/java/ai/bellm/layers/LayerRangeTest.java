package ai.bellm.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LayerRangeTest {

    @Test
    void parsesAndChecksAgainstTheModel() {
        assertThat(LayerRange.parseCounts("7", "--layers")).isEqualTo(new LayerRange(7, 7));
        assertThat(LayerRange.parseCounts("3-30", "--layers").bounds()).containsExactly(3, 30);
        assertThat(LayerRange.parseCounts("3-30", "--layers").within(30).size()).isEqualTo(28);
        assertThatThrownBy(() -> LayerRange.parseCounts("3-31", "--layers").within(30))
                .hasMessage("--layers 3-31 goes beyond the model's 30 layers (use 1-30 or less)");
        assertThatThrownBy(() -> LayerRange.parseCounts("1-2-3", "--layers")).hasMessage("bad --layers '1-2-3': expected A-B (e.g. 1-30) or N");
    }
}
