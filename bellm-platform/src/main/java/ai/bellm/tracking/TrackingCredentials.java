package ai.bellm.tracking;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * How a client proves itself to the tracking server, by MLflow's own conventions: a bearer token
 * ({@code MLFLOW_TRACKING_TOKEN}) or basic auth ({@code MLFLOW_TRACKING_USERNAME} and {@code _PASSWORD}, as the
 * basic-auth app of {@code mlflow server} expects); none when neither is set. {@link #toString()} never shows a
 * secret, so configurations can be logged.
 */
public final class TrackingCredentials {
    public static final String USERNAME_ENV = "MLFLOW_TRACKING_USERNAME";
    public static final String PASSWORD_ENV = "MLFLOW_TRACKING_PASSWORD";
    public static final String TOKEN_ENV = "MLFLOW_TRACKING_TOKEN";
    public static final TrackingCredentials NONE = new TrackingCredentials(null, "none");

    private final String authorization;
    private final String description;

    private TrackingCredentials(String authorization, String description) {
        this.authorization = authorization;
        this.description = description;
    }

    public static TrackingCredentials basic(String username, String password) {
        String pair = username + ":" + password;
        return new TrackingCredentials("Basic " + Base64.getEncoder().encodeToString(
                pair.getBytes(StandardCharsets.UTF_8)), "basic auth as " + username);
    }

    public static TrackingCredentials token(String token) {
        return new TrackingCredentials("Bearer " + token, "bearer token");
    }

    /** From MLflow's variables in {@code env}: the token wins; a username without a password is an error. */
    public static TrackingCredentials fromEnv(Map<String, String> env) {
        String token = env.get(TOKEN_ENV);
        if (token != null && !token.isBlank()) {
            return token(token.strip());
        }
        String username = env.get(USERNAME_ENV);
        if (username == null || username.isBlank()) {
            return NONE;
        }
        String password = env.get(PASSWORD_ENV);
        if (password == null) {
            throw new IllegalStateException(USERNAME_ENV + " is set but " + PASSWORD_ENV + " is not");
        }
        return basic(username, password);
    }

    /** The {@code Authorization} header's value, if any. */
    Optional<String> authorization() {
        return Optional.ofNullable(authorization);
    }

    @Override
    public String toString() {
        return description;
    }
}
