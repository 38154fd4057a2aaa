package ai.bellm.serve;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /model}: the model in service, and the last load that failed (the service kept its model then). */
@Path("/model")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    /** @param precision how the model's projections are stored ({@code f32} or {@code bf16}) */
    public record ModelInfo(boolean loaded, String name, String version, Integer dim, String precision,
                            Instant loadedAt, String source, ModelHolder.LoadFailure lastLoadFailure) {
    }

    private final ModelHolder models;

    ModelResource(ModelHolder models) {
        this.models = models;
    }

    @GET
    @Operation(summary = "The model in service")
    public ModelInfo model() {
        ModelHolder.LoadFailure failure = models.lastFailure().orElse(null);
        return models.current()
                .map(m -> new ModelInfo(true, m.name(), m.version(), m.dimension(), m.precision().cliName(),
                        m.loadedAt(), m.source(), failure))
                .orElseGet(() -> new ModelInfo(false, null, null, null, null, null, null, failure));
    }
}
