package ai.bellm.serve;

import ai.bellm.embed.InputTooLongException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Error answers of the REST API, with the status a client can act on and a machine-readable code:
 * {@code {"error": message, "code": code}} on {@code /embed}, OpenAI's
 * {@code {"error": {"message", "type", "param", "code"}}} on {@code /v1/embeddings} so that OpenAI clients report
 * them. A body over {@code quarkus.http.limits.max-body-size} is refused with 413 before it reaches a resource.
 */
public class ApiErrors {

    public record Error(String error, String code) {
    }

    public record OpenAiError(Detail error) {
        public record Detail(String message, String type, String param, String code) {
        }
    }

    @ServerExceptionMapper
    public Response rejected(RequestRejectedException e, SimpleResourceInfo resource) {
        Response.ResponseBuilder answer = answer(resource, e.status(), e.code(), e.getMessage());
        e.retryAfterSeconds().ifPresent(seconds -> answer.header("Retry-After", seconds));
        if (e.status() == Status.UNAUTHORIZED) {
            answer.header("WWW-Authenticate", "Bearer");
        }
        return answer.build();
    }

    @ServerExceptionMapper
    public Response tooLong(InputTooLongException e, SimpleResourceInfo resource) {
        return answer(resource, Status.REQUEST_ENTITY_TOO_LARGE, "input_too_long",
                e.getMessage() + " (send truncate: true to cut it)").build();
    }

    @ServerExceptionMapper
    public Response badRequest(IllegalArgumentException e, SimpleResourceInfo resource) {
        return answer(resource, Status.BAD_REQUEST, "invalid_request", e.getMessage()).build();
    }

    /** A body that is not JSON: Quarkus' reader wraps the parser's error; other HTTP errors keep their answer. */
    @ServerExceptionMapper
    public Response httpError(WebApplicationException e, SimpleResourceInfo resource) {
        return e.getCause() instanceof JsonProcessingException json ? invalidJsonAnswer(json, resource)
                : e.getResponse();
    }

    /** JSON of the wrong shape, e.g. a number where the texts belong. */
    @ServerExceptionMapper
    public Response invalidJson(MismatchedInputException e, SimpleResourceInfo resource) {
        return invalidJsonAnswer(e, resource);
    }

    private static Response invalidJsonAnswer(JsonProcessingException e, SimpleResourceInfo resource) {
        return answer(resource, Status.BAD_REQUEST, "invalid_json", "invalid JSON body: " + e.getOriginalMessage())
                .build();
    }

    private static Response.ResponseBuilder answer(SimpleResourceInfo resource, Status status, String code,
                                                   String message) {
        Object body = resource != null && resource.getResourceClass() == OpenAiEmbeddingsResource.class
                ? new OpenAiError(new OpenAiError.Detail(message, openAiType(status), null, code))
                : new Error(message, code);
        return Response.status(status).entity(body).type("application/json");
    }

    /** OpenAI's error types: its clients pick their exception class by the status, and show the message. */
    private static String openAiType(Status status) {
        return switch (status) {
            case TOO_MANY_REQUESTS -> "rate_limit_error";
            case SERVICE_UNAVAILABLE -> "server_error";
            default -> "invalid_request_error";
        };
    }
}
