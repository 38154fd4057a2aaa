package ai.bellm.experiment.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.api.PromotionSpec;
import ai.bellm.api.PromotionStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromoterTest {
    private static final ExperimentRef REF = new ExperimentRef("ns", "exp", "uid", 1);
    private final FakeTracking tracking = new FakeTracking();
    private final List<String> events = new ArrayList<>();
    private boolean kafkaDown;
    private final Promoter promoter = new Promoter(tracking, (model, version, metrics, ref) -> {
        if (kafkaDown) {
            throw new EventsUnavailableException("kafka down", null);
        }
        events.add(version);
    });
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
        assertThat(events).containsExactly("1", "2");
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
        kafkaDown = true;
        assertThatThrownBy(() -> promoter.promote(REF, spec, "train2", 65.0))
                .isInstanceOf(EventsUnavailableException.class);
        kafkaDown = false;
        PromotionStatus retried = promoter.promote(REF, spec, "train2", 65.0);
        assertThat(retried.promoted).isTrue();
        assertThat(retried.version).isEqualTo("2");
        assertThat(retried.championVersion).isEqualTo("1");
        assertThat(tracking.versions).hasSize(2);
        assertThat(tracking.aliases).containsEntry("champion", "2").containsEntry("previous", "1");
        assertThat(events).containsExactly("1", "2");
    }
}
