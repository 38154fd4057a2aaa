package ai.bellm.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Published (by the operator) on the model-events topic, beside {@link ModelPromoted} and in its envelope
 * ({@code type}, {@code model}, {@code experiment}), when an experiment ends without moving an alias:
 * <ul>
 *   <li>{@code ModelNotPromoted}: evaluated, but it did not beat the champion by the minimum gain:
 *       {@code {"type":"ModelNotPromoted","model":"name","reason":"...","metrics":{...},"championVersion":"3",
 *       "experiment":{...}}};</li>
 *   <li>{@code ExperimentFailed}: a step failed or the spec could not run: {@code {"type":"ExperimentFailed",
 *       "model":"name","reason":"train failed: ...","experiment":{...}}}.</li>
 * </ul>
 * Consumers that follow promotions skip both (their type is not {@code ModelPromoted}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentOutcome(
        @JsonProperty("type") String type,
        @JsonProperty("model") String model,
        @JsonProperty("reason") String reason,
        @JsonProperty("metrics") Map<String, Double> metrics,
        @JsonProperty("championVersion") String championVersion,
        @JsonProperty("experiment") ModelPromoted.Experiment experiment) {

    public static final String NOT_PROMOTED = "ModelNotPromoted";
    public static final String FAILED = "ExperimentFailed";
    private static final Set<String> TYPES = Set.of(NOT_PROMOTED, FAILED);

    public ExperimentOutcome {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("not an experiment outcome: type " + type);
        }
        Objects.requireNonNull(reason, "reason");
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    public static ExperimentOutcome notPromoted(String model, Map<String, Double> metrics, String championVersion,
                                                String reason, ModelPromoted.Experiment experiment) {
        return new ExperimentOutcome(NOT_PROMOTED, model, reason, metrics, championVersion, experiment);
    }

    public static ExperimentOutcome failed(String model, String reason, ModelPromoted.Experiment experiment) {
        return new ExperimentOutcome(FAILED, model, reason, null, null, experiment);
    }

    public byte[] toJson() {
        return EventJson.write(this);
    }

    /** @throws IllegalArgumentException if it is not JSON or not one of the two types */
    public static ExperimentOutcome fromJson(byte[] json) {
        return EventJson.read(json, ExperimentOutcome.class, "an experiment outcome");
    }
}
