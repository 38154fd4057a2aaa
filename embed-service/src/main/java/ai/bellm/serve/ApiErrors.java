package ai.bellm.serve;

import ai.bellm.embed.InputTooLongException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Error answers of the REST API: {@code {"error": message}} with the status a client can act on. */
public class ApiErrors {

    public record Error(String error) {
    }

    @ServerExceptionMapper
    public Response tooLong(InputTooLongException e) {
        return answer(Response.Status.REQUEST_ENTITY_TOO_LARGE, e.getMessage() + " (send truncate: true to cut it)");
    }

    @ServerExceptionMapper
    public Response badRequest(IllegalArgumentException e) {
        return answer(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response notReady(EmbeddingService.NotReadyException e) {
        return answer(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    private static Response answer(Response.Status status, String message) {
        return Response.status(status).entity(new Error(message)).type("application/json").build();
    }
}
