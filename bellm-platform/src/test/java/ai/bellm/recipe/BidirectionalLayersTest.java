package ai.bellm.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BidirectionalLayersTest {

    @Test
    void theLayersAfterTheTurningPointBecomeBidirectionalAndAlwaysTheTwoTopOnes() {
        assertThat(BidirectionalLayers.fromTurningPoint(20, 30)).isEqualTo(20);
        assertThat(BidirectionalLayers.fromTurningPoint(28, 30)).isEqualTo(28);
        // a turning point at or next to the top: a bidirectional last layer alone would change no last-token vector
        assertThat(BidirectionalLayers.fromTurningPoint(29, 30)).isEqualTo(28);
        assertThat(BidirectionalLayers.fromTurningPoint(30, 30)).isEqualTo(28);
        assertThat(BidirectionalLayers.fromTurningPoint(1, 2)).isZero();
        assertThat(BidirectionalLayers.fromTurningPoint(1, 1)).isZero();
    }

    @Test
    void aTurningPointIsALayerCountOfTheModel() {
        assertThatThrownBy(() -> BidirectionalLayers.fromTurningPoint(31, 30))
                .hasMessage("turning point 31 is not a layer count of a model of 30 layers (use 1..30)");
        assertThatThrownBy(() -> BidirectionalLayers.fromTurningPoint(0, 30)).hasMessageContaining("use 1..30");
    }
}
