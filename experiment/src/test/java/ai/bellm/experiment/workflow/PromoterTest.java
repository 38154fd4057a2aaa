package ai.bellm.experiment.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.api.PromotionSpec;
import ai.bellm.api.PromotionStatus;
import org.junit.jupiter.api.Test;

class PromoterTest {
    private static final ExperimentRef REF = new ExperimentRef("ns", "exp", "uid", 1);
    private final FakeTracking tracking = new FakeTracking();
    private final RecordingModelEvents events = new RecordingModelEvents();
    private final Promoter promoter = new Promoter(tracking, events);
    private final PromotionSpec spec = new PromotionSpec();

    PromoterTest() {
        spec.registeredModel = "reg";
        spec.minGain = 1.0;
    }

    @Test
    void aBetterModelBecomesChampionAndTheOldOneTurnsPrevious() {
        promoter.promote(REF, spec, "train1", 60.0);
        PromotionStatus second = promoter.promote(REF, spec, "train2", 62.0);
        assertThat(second.promoted).isTrue();
        assertThat(second.championVersion).isEqualTo("1");
        assertThat(second.championScore).isEqualTo(60.0);
        assertThat(tracking.aliases).containsEntry("champion", "2").containsEntry("previous", "1");
        assertThat(events.announced).containsExactly("promoted reg:1", "promoted reg:2");
    }

    @Test
    void aModelBelowTheMinimumGainIsNotPromoted() {
        promoter.promote(REF, spec, "train1", 60.0);
        PromotionStatus worse = promoter.promote(REF, spec, "train2", 60.5);
        assertThat(worse.promoted).isFalse();
        assertThat(worse.reason).contains("does not beat champion version 1");
        assertThat(tracking.versions).hasSize(1);
        assertThat(tracking.aliases).containsEntry("champion", "1").doesNotContainKey("previous");
    }

    @Test
    void aPromotionRetriedAfterKafkaFailedRegistersOnceAndStillAnnounces() {
        promoter.promote(REF, spec, "train1", 60.0);
        events.down = true;
        assertThatThrownBy(() -> promoter.promote(REF, spec, "train2", 65.0))
                .isInstanceOf(EventsUnavailableException.class);
        events.down = false;
        PromotionStatus retried = promoter.promote(REF, spec, "train2", 65.0);
        assertThat(retried.promoted).isTrue();
        assertThat(retried.version).isEqualTo("2");
        assertThat(retried.championVersion).isEqualTo("1");
        assertThat(tracking.versions).hasSize(2);
        assertThat(tracking.aliases).containsEntry("champion", "2").containsEntry("previous", "1");
        assertThat(events.announced).containsExactly("promoted reg:1", "promoted reg:2");
    }
}
