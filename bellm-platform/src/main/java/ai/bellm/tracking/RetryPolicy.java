package ai.bellm.tracking;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries connection errors and 5xx/429 answers with exponential backoff and jitter until a deadline;
 * rejections (4xx) go to the caller at once.
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration deadline) {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    @FunctionalInterface
    public interface Call<T> {
        T run() throws IOException, InterruptedException;
    }

    public static RetryPolicy of(TrackingConfig config) {
        return new RetryPolicy(config.initialBackoff(), config.maxBackoff(), config.deadline());
    }

    public <T> T call(String request, Call<T> call) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        long backoff = initialBackoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            Exception failure;
            try {
                return call.run();
            } catch (MlflowApiException e) {
                if (!e.retryable()) {
                    throw e;
                }
                failure = e;
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrackingException(request + " interrupted", e);
            }
            // "equal jitter": half the backoff fixed, half random, so clients that failed together spread out
            long pause = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
            long remaining = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                throw new TrackingUnavailableException(request, deadline, attempt, failure);
            }
            LOG.warn("{} failed (attempt {}), retrying in {} ms: {}", request, attempt, pause, failure.toString());
            sleep(Math.min(pause, remaining));
            backoff = Math.min(backoff * 2, maxBackoff.toMillis());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException("interrupted while waiting to retry", e);
        }
    }
}
