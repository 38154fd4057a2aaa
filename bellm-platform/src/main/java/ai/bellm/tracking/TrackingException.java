package ai.bellm.tracking;

/** Base of every failure of the tracking facade. */
public class TrackingException extends RuntimeException {
    public TrackingException(String message) {
        super(message);
    }

    public TrackingException(String message, Throwable cause) {
        super(message, cause);
    }
}
