package ai.bellm.tracking;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the tracking server is and how long to insist when it does not answer.
 *
 * @param trackingUri          base URI of the MLflow server, e.g. {@code http://mlflow.bellm:5000}
 * @param deadline             how long one operation retries connection errors and 5xx before
 *                             {@link TrackingUnavailableException}
 * @param initialBackoff       first pause between retries; doubled after each failure, with jitter
 * @param maxBackoff           longest pause between retries
 * @param requestTimeout       timeout of one HTTP request (artifact transfers included)
 * @param metricFlushInterval  how often buffered metrics are sent in the background
 * @param credentials          sent with every request
 */
public record TrackingConfig(URI trackingUri, Duration deadline, Duration initialBackoff, Duration maxBackoff,
                             Duration requestTimeout, Duration metricFlushInterval, TrackingCredentials credentials) {
    public static final String TRACKING_URI_ENV = "MLFLOW_TRACKING_URI";

    public TrackingConfig {
        Objects.requireNonNull(trackingUri, "trackingUri");
        Objects.requireNonNull(credentials, "credentials");
        if (!"http".equals(trackingUri.getScheme()) && !"https".equals(trackingUri.getScheme())) {
            throw new IllegalArgumentException("tracking URI must be http(s): " + trackingUri);
        }
    }

    /**
     * Defaults: 5 min deadline, backoff 0.5 s .. 15 s, 5 min per request, metrics flushed every 2 s, the credentials
     * of MLflow's environment variables ({@link TrackingCredentials#fromEnv}).
     */
    public static TrackingConfig of(String trackingUri) {
        return new TrackingConfig(URI.create(trackingUri.replaceAll("/+$", "")), Duration.ofMinutes(5),
                Duration.ofMillis(500), Duration.ofSeconds(15), Duration.ofMinutes(5), Duration.ofSeconds(2),
                TrackingCredentials.fromEnv(System.getenv()));
    }

    /** Defaults with the URI from {@code MLFLOW_TRACKING_URI}. */
    public static TrackingConfig fromEnv() {
        String uri = System.getenv(TRACKING_URI_ENV);
        if (uri == null || uri.isBlank()) {
            throw new IllegalStateException(TRACKING_URI_ENV + " is not set");
        }
        return of(uri);
    }

    public TrackingConfig withDeadline(Duration deadline) {
        return new TrackingConfig(trackingUri, deadline, initialBackoff, maxBackoff, requestTimeout, metricFlushInterval,
                credentials);
    }

    public TrackingConfig withBackoff(Duration initial, Duration max) {
        return new TrackingConfig(trackingUri, deadline, initial, max, requestTimeout, metricFlushInterval, credentials);
    }

    public TrackingConfig withMetricFlushInterval(Duration interval) {
        return new TrackingConfig(trackingUri, deadline, initialBackoff, maxBackoff, requestTimeout, interval,
                credentials);
    }

    public TrackingConfig withCredentials(TrackingCredentials credentials) {
        return new TrackingConfig(trackingUri, deadline, initialBackoff, maxBackoff, requestTimeout,
                metricFlushInterval, credentials);
    }
}
