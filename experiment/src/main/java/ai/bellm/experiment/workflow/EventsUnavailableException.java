package ai.bellm.experiment.workflow;

/** The model-events channel (Kafka) did not take an event; the promotion is retried. */
public final class EventsUnavailableException extends RuntimeException {
    public EventsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
