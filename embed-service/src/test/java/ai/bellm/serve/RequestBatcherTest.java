package ai.bellm.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.ws.rs.core.Response.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher with an embedder that holds its first call until released, so that requests queue behind it exactly as
 * the test says. Each "embedding" is the sequence's first token id, so every answer can be traced to its input.
 */
class RequestBatcherTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CountDownLatch firstCallStarted = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    /** The token sequences' first ids of each call, in call order. */
    private final List<List<Integer>> calls = Collections.synchronizedList(new ArrayList<>());
    private RequestBatcher<String> batcher;

    private RequestBatcher<String> batcher(int maxBatchTokens, int maxQueued) {
        batcher = new RequestBatcher<>((model, tokens) -> {
            firstCallStarted.countDown();
            await(release);
            calls.add(tokens.stream().map(t -> t[0]).toList());
            return tokens.stream().map(t -> new float[] {t[0]}).toArray(float[][]::new);
        }, maxBatchTokens, maxQueued, new ServiceMetrics(registry));
        return batcher;
    }

    @AfterEach
    void close() throws InterruptedException {
        release.countDown();
        batcher.close();
    }

    @Test
    void requestsWaitingTogetherAreEmbeddedInOneCall() throws Exception {
        batcher(100, 8);
        CompletableFuture<float[][]> first = batcher.submit("m", sequences(1));
        assertThat(firstCallStarted.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<float[][]> b = batcher.submit("m", sequences(2, 3));
        CompletableFuture<float[][]> c = batcher.submit("m", sequences(4));
        CompletableFuture<float[][]> d = batcher.submit("m", sequences(5, 6));
        release.countDown();

        assertThat(firstIds(first)).containsExactly(1);
        assertThat(firstIds(b)).containsExactly(2, 3);
        assertThat(firstIds(c)).containsExactly(4);
        assertThat(firstIds(d)).containsExactly(5, 6);
        assertThat(calls).containsExactly(List.of(1), List.of(2, 3, 4, 5, 6));
        assertThat(registry.get("bellm.rest.gathered.requests").summary().max()).isEqualTo(3);
    }

    @Test
    void requestsOverOnePassOfTokensOrOfAnotherModelAreNotGathered() throws Exception {
        batcher(8, 8); // each sequence below has 4 tokens: two requests of one fit a pass, a third does not
        CompletableFuture<float[][]> first = batcher.submit("m", sequences(1));
        assertThat(firstCallStarted.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<float[][]>> rest = List.of(batcher.submit("m", sequences(2)),
                batcher.submit("m", sequences(3)), batcher.submit("m", sequences(4)),
                batcher.submit("other", sequences(5)), batcher.submit("m", sequences(6)));
        release.countDown();
        for (CompletableFuture<float[][]> request : rest) {
            request.get(10, TimeUnit.SECONDS);
        }
        first.get(10, TimeUnit.SECONDS);
        assertThat(calls).containsExactly(List.of(1), List.of(2, 3), List.of(4), List.of(5), List.of(6));
    }

    @Test
    void aFullQueueRefusesWith429AndARetryDelay() throws Exception {
        batcher(100, 2);
        CompletableFuture<float[][]> first = batcher.submit("m", sequences(1));
        assertThat(firstCallStarted.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<float[][]> b = batcher.submit("m", sequences(2));
        CompletableFuture<float[][]> c = batcher.submit("m", sequences(3));

        assertThatThrownBy(() -> batcher.submit("m", sequences(4)))
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(Status.TOO_MANY_REQUESTS);
                    assertThat(e.retryAfterSeconds().orElseThrow()).isPositive();
                    assertThat(e).hasMessageContaining("2 requests are waiting");
                });
        assertThat(registry.get("bellm.rest.rejected").tag("reason", "overloaded").counter().count()).isEqualTo(1);
        release.countDown();
        assertThat(firstIds(first)).containsExactly(1);
        assertThat(firstIds(b)).containsExactly(2);
        assertThat(firstIds(c)).containsExactly(3);
    }

    @Test
    void anErrorFailsItsRequestsAndKillsTheBatcher() throws Exception {
        batcher = new RequestBatcher<>((model, tokens) -> {
            throw new OutOfMemoryError("simulated");
        }, 100, 8, new ServiceMetrics(registry));
        CompletableFuture<float[][]> request = batcher.submit("m", sequences(1));

        assertThatThrownBy(() -> request.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(OutOfMemoryError.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (batcher.death().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(batcher.death()).hasValueSatisfying(e -> assertThat(e).isInstanceOf(OutOfMemoryError.class));
        assertThatThrownBy(() -> batcher.submit("m", sequences(2)))
                .isInstanceOfSatisfying(RequestRejectedException.class,
                        e -> assertThat(e.status()).isEqualTo(Status.SERVICE_UNAVAILABLE));
    }

    /** One 4-token sequence per id, starting with it. */
    private static List<int[]> sequences(int... firstIds) {
        List<int[]> sequences = new ArrayList<>();
        for (int id : firstIds) {
            sequences.add(new int[] {id, 0, 0, 0});
        }
        return sequences;
    }

    private static List<Integer> firstIds(CompletableFuture<float[][]> request) throws Exception {
        List<Integer> ids = new ArrayList<>();
        for (float[] vector : request.get(10, TimeUnit.SECONDS)) {
            ids.add((int) vector[0]);
        }
        return ids;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
