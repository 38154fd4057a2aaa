package ai.bellm.serve;

import com.fasterxml.jackson.annotation.JsonFormat;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code POST /embed}: one text or a batch, with per-request normalization and truncation. */
@Path("/embed")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EmbedResource {

    /**
     * @param inputs    one text or a list of texts
     * @param normalize unit-length vectors (default {@code bellm.embedding.normalize})
     * @param truncate  cut over-long input instead of answering 413 (default {@code bellm.embedding.truncate})
     */
    public record EmbedRequest(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> inputs,
                               Boolean normalize, Boolean truncate) {
    }

    public record EmbedResponse(EmbeddingRecord.ModelRef model, int dim, int tokens, float[][] embeddings) {
    }

    private final EmbeddingService service;

    EmbedResource(EmbeddingService service) {
        this.service = service;
    }

    @POST
    @Operation(summary = "Embed one text or a batch of texts with the model in service")
    public EmbedResponse embed(EmbedRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request body required");
        }
        EmbeddingService.Result result = service.embed(request.inputs(), request.normalize(), request.truncate());
        return new EmbedResponse(new EmbeddingRecord.ModelRef(result.model(), result.version()),
                result.embeddings()[0].length, result.tokens(), result.embeddings());
    }
}
