package ai.bellm.serve;

import jakarta.ws.rs.core.Response.Status;
import java.util.OptionalLong;

/**
 * A REST request the service will not embed, with the status, the machine-readable code and (for 429) the seconds
 * after which a retry may succeed; {@link ApiErrors} turns it into the answer.
 */
final class RequestRejectedException extends RuntimeException {

    private final Status status;
    private final String code;
    private final OptionalLong retryAfterSeconds;

    private RequestRejectedException(Status status, String code, String message, OptionalLong retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static RequestRejectedException tooManyInputs(int inputs, int limit) {
        return new RequestRejectedException(Status.REQUEST_ENTITY_TOO_LARGE, "too_many_inputs",
                inputs + " inputs in one request, over the limit of " + limit + " (bellm.rest.max-inputs)",
                OptionalLong.empty());
    }

    static RequestRejectedException tooManyTokens(int limit) {
        return new RequestRejectedException(Status.REQUEST_ENTITY_TOO_LARGE, "too_many_tokens",
                "the inputs have more than " + limit + " tokens together (bellm.rest.max-request-tokens)",
                OptionalLong.empty());
    }

    static RequestRejectedException overloaded(int waiting, long retryAfterSeconds) {
        return new RequestRejectedException(Status.TOO_MANY_REQUESTS, "overloaded",
                waiting + " requests are waiting already (bellm.rest.max-queued-requests); retry after "
                        + retryAfterSeconds + " s", OptionalLong.of(retryAfterSeconds));
    }

    static RequestRejectedException unauthorized() {
        return new RequestRejectedException(Status.UNAUTHORIZED, "invalid_api_key",
                "a valid API key is required: Authorization: Bearer <key>", OptionalLong.empty());
    }

    static RequestRejectedException unavailable(String why) {
        return new RequestRejectedException(Status.SERVICE_UNAVAILABLE, "unavailable", why, OptionalLong.empty());
    }

    Status status() {
        return status;
    }

    String code() {
        return code;
    }

    OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
