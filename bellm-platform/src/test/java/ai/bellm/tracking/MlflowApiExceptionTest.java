package ai.bellm.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which answers are worth sending the request again for. */
class MlflowApiExceptionTest {

    @Test
    void rejectionsAreFinalOverloadsAreNot() {
        assertThat(new MlflowApiException("POST runs/create", 400, MlflowApiException.INVALID_PARAMETER_VALUE,
                "Changing param values is not allowed").retryable()).isFalse();
        assertThat(new MlflowApiException("GET runs/get", 404, MlflowApiException.RESOURCE_DOES_NOT_EXIST,
                "Run 'x' not found").retryable()).isFalse();
        assertThat(new MlflowApiException("POST runs/create", 503, "Service Unavailable", "").retryable()).isTrue();
        assertThat(new MlflowApiException("POST runs/create", 429, "Too Many Requests", "").retryable()).isTrue();
        // MLflow 3.17.2's answer when 100 experiments' reconciles exhausted its database connections
        assertThat(new MlflowApiException("POST runs/create", 400, "BAD_REQUEST", "QueuePool limit of size 5 "
                + "overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: "
                + "https://sqlalche.me/e/21/3o7r)").retryable()).isTrue();
        assertThat(new MlflowApiException("POST runs/log-batch", 400, "BAD_REQUEST",
                "(sqlite3.OperationalError) database is locked").retryable()).isTrue();
    }
}
