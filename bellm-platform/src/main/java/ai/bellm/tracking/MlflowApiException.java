package ai.bellm.tracking;

import java.util.List;

/**
 * The server rejected a request (4xx such as INVALID_PARAMETER_VALUE, RESOURCE_ALREADY_EXISTS, RESOURCE_DOES_NOT_EXIST).
 * Not retried: sending the same request again gives the same answer. Also used, internally, for 5xx answers and
 * overload answers, which are retried and surface wrapped in {@link TrackingUnavailableException}.
 */
public class MlflowApiException extends TrackingException {
    public static final String INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE";
    public static final String RESOURCE_ALREADY_EXISTS = "RESOURCE_ALREADY_EXISTS";
    public static final String RESOURCE_DOES_NOT_EXIST = "RESOURCE_DOES_NOT_EXIST";

    /**
     * MLflow answers an exhausted SQLAlchemy connection pool or a locked SQLite store with 400 BAD_REQUEST (seen
     * with 100 experiments at once against one server): an overload, so the same request later succeeds.
     */
    private static final List<String> OVERLOAD_MESSAGES = List.of("QueuePool limit", "database is locked");

    private final int status;
    private final String errorCode;
    private final boolean overload;

    public MlflowApiException(String request, int status, String errorCode, String message) {
        super(request + " -> HTTP " + status + " " + errorCode + ": " + message);
        this.status = status;
        this.errorCode = errorCode;
        this.overload = message != null && OVERLOAD_MESSAGES.stream().anyMatch(message::contains);
    }

    public int status() {
        return status;
    }

    /** MLflow's error code, e.g. {@link #INVALID_PARAMETER_VALUE}; the HTTP status text when the body has none. */
    public String errorCode() {
        return errorCode;
    }

    boolean retryable() {
        return status >= 500 || status == 429 || overload;
    }
}
