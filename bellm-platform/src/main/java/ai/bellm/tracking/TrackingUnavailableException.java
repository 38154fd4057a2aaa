package ai.bellm.tracking;

import java.time.Duration;

/** The tracking server did not answer (connection errors, 5xx) within the configured deadline. */
public class TrackingUnavailableException extends TrackingException {
    public TrackingUnavailableException(String request, Duration deadline, int attempts, Throwable lastFailure) {
        super("MLflow unavailable: " + request + " failed " + attempts + " times within " + deadline.toSeconds()
                + " s; last failure: " + lastFailure, lastFailure);
    }
}
