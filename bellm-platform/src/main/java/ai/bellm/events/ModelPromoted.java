package ai.bellm.events;

import ai.bellm.tracking.ModelRegistry;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Objects;

/**
 * Published (by the operator) on the model-events topic when the alias of a registered model moves to a version
 * (the operator moves {@code champion}); an embed service that follows that model's alias then loads the version the
 * registry names for it. JSON: {@code {"type":"ModelPromoted","model":"name","version":"3","uri":"models:/name/3",
 * "alias":"champion","metrics":{...},"experiment":{"namespace":"ns","name":"exp"}}}. An event without an alias is
 * about {@code champion}. Unknown fields are ignored so the event can grow.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelPromoted(
        @JsonProperty("type") String type,
        @JsonProperty("model") String model,
        @JsonProperty("version") String version,
        @JsonProperty("uri") String uri,
        @JsonProperty("alias") String alias,
        @JsonProperty("metrics") Map<String, Double> metrics,
        @JsonProperty("experiment") Experiment experiment) {

    public static final String TYPE = "ModelPromoted";

    /** The BeLLMExperiment that produced the version. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Experiment(@JsonProperty("namespace") String namespace, @JsonProperty("name") String name) {
    }

    public ModelPromoted {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        type = type == null ? TYPE : type;
        uri = uri == null ? "models:/" + model + "/" + version : uri;
        alias = alias == null ? ModelRegistry.CHAMPION : alias;
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    /** {@code version} became {@code champion}. */
    public static ModelPromoted of(String model, String version, Map<String, Double> metrics, Experiment experiment) {
        return new ModelPromoted(TYPE, model, version, null, ModelRegistry.CHAMPION, metrics, experiment);
    }

    public byte[] toJson() {
        return EventJson.write(this);
    }

    /**
     * Parses one event.
     *
     * @throws IllegalArgumentException if it is not JSON, lacks model or version, or is another type of event
     */
    public static ModelPromoted fromJson(byte[] json) {
        ModelPromoted event = EventJson.read(json, ModelPromoted.class, "a ModelPromoted event");
        if (!TYPE.equals(event.type())) {
            throw new IllegalArgumentException("not a ModelPromoted event: type " + event.type());
        }
        return event;
    }
}
