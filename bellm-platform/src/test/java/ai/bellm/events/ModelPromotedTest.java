package ai.bellm.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelPromotedTest {

    @Test
    void roundTripsAndReadsTheDocumentedShape() {
        String json = "{\"type\":\"ModelPromoted\",\"model\":\"bellm\",\"version\":\"3\",\"uri\":\"models:/bellm/3\","
                + "\"alias\":\"prod\",\"metrics\":{\"spearman\":0.84},"
                + "\"experiment\":{\"namespace\":\"ml\",\"name\":\"exp-1\"},\"extra\":1}";
        ModelPromoted event = ModelPromoted.fromJson(json.getBytes(StandardCharsets.UTF_8));
        assertThat(event).isEqualTo(new ModelPromoted("ModelPromoted", "bellm", "3", "models:/bellm/3", "prod",
                Map.of("spearman", 0.84), new ModelPromoted.Experiment("ml", "exp-1")));
        assertThat(ModelPromoted.fromJson(event.toJson())).isEqualTo(event);
        assertThat(ModelPromoted.of("bellm", "4", null, null).uri()).isEqualTo("models:/bellm/4");
        assertThat(ModelPromoted.of("bellm", "4", null, null).alias()).isEqualTo("champion");
        assertThat(ModelPromoted.fromJson("{\"type\":\"ModelPromoted\",\"model\":\"m\",\"version\":\"1\"}"
                .getBytes(StandardCharsets.UTF_8)).alias()).as("an event without alias").isEqualTo("champion");
    }

    @Test
    void rejectsOtherEventsAndMissingFields() {
        assertThatThrownBy(() -> ModelPromoted.fromJson("{\"type\":\"ModelRetired\",\"model\":\"m\",\"version\":\"1\"}"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
        assertThatThrownBy(() -> ModelPromoted.fromJson("{\"type\":\"ModelPromoted\",\"model\":\"m\"}"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelPromoted.fromJson("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outcomesShareTheEnvelopeAndAreNoPromotions() {
        ExperimentOutcome notPromoted = ExperimentOutcome.notPromoted("bellm", Map.of("spearman", 0.80), "3",
                "does not beat champion version 3", new ModelPromoted.Experiment("ml", "exp-2"));
        assertThat(ExperimentOutcome.fromJson(notPromoted.toJson())).isEqualTo(notPromoted);
        String failed = new String(ExperimentOutcome.failed("bellm", "train failed: OOMKilled",
                new ModelPromoted.Experiment("ml", "exp-3")).toJson(), StandardCharsets.UTF_8);
        assertThat(failed).contains("\"type\":\"ExperimentFailed\"", "\"model\":\"bellm\"",
                "\"experiment\":{\"namespace\":\"ml\",\"name\":\"exp-3\"}");
        assertThatThrownBy(() -> ModelPromoted.fromJson(notPromoted.toJson()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExperimentOutcome.fromJson(ModelPromoted.of("bellm", "4", null, null).toJson()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type ModelPromoted");
    }
}
