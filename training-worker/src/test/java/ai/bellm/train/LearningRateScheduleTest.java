package ai.bellm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.bellm.train.LearningRateSchedule.Decay;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void linearWarmupThenLinearDecay() {
        LearningRateSchedule schedule = LearningRateSchedule.of(1e-3, 10, 110, Decay.LINEAR);
        assertThat(schedule.at(0)).isCloseTo(1e-4, within(1e-15)); // first update already learns
        assertThat(schedule.at(4)).isCloseTo(5e-4, within(1e-15));
        assertThat(schedule.at(9)).isCloseTo(1e-3, within(1e-15)); // end of warmup
        assertThat(schedule.at(10)).isCloseTo(1e-3, within(1e-15)); // start of decay
        assertThat(schedule.at(60)).isCloseTo(5e-4, within(1e-15)); // half way
        assertThat(schedule.at(109)).isCloseTo(1e-5, within(1e-15)); // last update: 1/100 of the way left
        assertThat(schedule.at(110)).isEqualTo(0);
        assertThat(schedule.at(1000)).isEqualTo(0);
    }

    @Test
    void cosineDecayToAFloor() {
        LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 0, 100, Decay.COSINE, 1e-4);
        assertThat(schedule.at(0)).isEqualTo(1e-3); // no warmup: peak at once
        assertThat(schedule.at(50)).isCloseTo(5.5e-4, within(1e-15)); // (peak + floor) / 2
        assertThat(schedule.at(25)).isCloseTo(1e-4 + 9e-4 * (1 + Math.cos(Math.PI / 4)) / 2, within(1e-15));
        assertThat(schedule.at(100)).isEqualTo(1e-4);
        assertThat(schedule.at(101)).isEqualTo(1e-4);
    }

    @Test
    void rejectsInconsistentSettings() {
        assertThatThrownBy(() -> LearningRateSchedule.of(1e-3, 10, 10, Decay.LINEAR)).hasMessageContaining("warmup");
        assertThatThrownBy(() -> new LearningRateSchedule(1e-3, 0, 10, Decay.LINEAR, 2e-3))
                .hasMessageContaining("floor");
        assertThatThrownBy(() -> LearningRateSchedule.of(1e-3, 0, 10, Decay.LINEAR).at(-1))
                .hasMessageContaining(">= 0");
    }
}
