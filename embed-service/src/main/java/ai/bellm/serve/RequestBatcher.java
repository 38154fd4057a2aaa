package ai.bellm.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Embeds the REST requests of many callers on one thread, gathering the requests waiting for the same model into one
 * call while their tokens fit one forward pass's budget (text-embeddings-inference's {@code max-batch-tokens}): ten
 * one-sentence requests arriving together then cost one pass, not ten. At most {@code maxQueued} requests wait; one
 * more is refused with {@link RequestRejectedException#overloaded} and a retry delay estimated from the tokens waiting
 * and the throughput measured so far.
 *
 * @param <M> the model a request was tokenized by (requests of different models are never gathered together)
 */
final class RequestBatcher<M> implements AutoCloseable {

    /** Embeds token sequences with a model, in input order. */
    interface Embedder<M> {
        float[][] embed(M model, List<int[]> tokens);
    }

    private record Pending<M>(M model, List<int[]> tokens, int tokenCount, CompletableFuture<float[][]> result) {
    }

    private final Embedder<M> embedder;
    private final int maxBatchTokens;
    private final BlockingQueue<Pending<M>> queue;
    private final AtomicLong queuedTokens = new AtomicLong();
    private final ServiceMetrics metrics;
    private final Thread thread;
    private volatile double tokensPerSecond;
    private volatile Throwable death;
    private volatile boolean closed;

    RequestBatcher(Embedder<M> embedder, int maxBatchTokens, int maxQueued, ServiceMetrics metrics) {
        this.embedder = embedder;
        this.maxBatchTokens = maxBatchTokens;
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        this.metrics = metrics;
        metrics.restQueue(queue::size);
        this.thread = new Thread(this::run, "bellm-rest-batcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** The embeddings of {@code tokens}, once embedded; throws {@link RequestRejectedException} when full. */
    CompletableFuture<float[][]> submit(M model, List<int[]> tokens) {
        if (death != null || closed) {
            throw RequestRejectedException.unavailable("the request batcher has stopped");
        }
        int count = tokens.stream().mapToInt(t -> t.length).sum();
        Pending<M> pending = new Pending<>(model, tokens, count, new CompletableFuture<>());
        queuedTokens.addAndGet(count);
        if (!queue.offer(pending)) {
            queuedTokens.addAndGet(-count);
            metrics.restRejected("overloaded");
            throw RequestRejectedException.overloaded(queue.size(), retryAfterSeconds());
        }
        if (!thread.isAlive()) {
            failWaiting(); // it stopped between the check above and the offer
        }
        return pending.result();
    }

    /** What killed the batcher thread, if it died (see {@link ServiceLiveness}). */
    Optional<Throwable> death() {
        return Optional.ofNullable(death);
    }

    private long retryAfterSeconds() {
        double rate = tokensPerSecond;
        return rate <= 0 ? 1 : Math.max(1, (long) Math.ceil(queuedTokens.get() / rate));
    }

    private void run() {
        try {
            while (!closed) {
                Pending<M> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    embed(gatherAfter(first));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            death = e;
            throw e;
        } finally {
            failWaiting();
        }
    }

    /** {@code first} and the requests queued behind it for the same model, while their tokens fit one pass. */
    private List<Pending<M>> gatherAfter(Pending<M> first) {
        List<Pending<M>> batch = new ArrayList<>(List.of(first));
        int tokens = first.tokenCount();
        for (Pending<M> next = queue.peek(); next != null && next.model() == first.model()
                && tokens + next.tokenCount() <= maxBatchTokens; next = queue.peek()) {
            batch.add(queue.poll()); // this thread alone takes from the queue: poll returns what peek saw
            tokens += next.tokenCount();
        }
        return batch;
    }

    private void embed(List<Pending<M>> batch) {
        List<int[]> tokens = new ArrayList<>();
        batch.forEach(p -> tokens.addAll(p.tokens()));
        int count = batch.stream().mapToInt(Pending::tokenCount).sum();
        queuedTokens.addAndGet(-count);
        metrics.restGathered(batch.size());
        long start = System.nanoTime();
        float[][] vectors;
        try {
            vectors = embedder.embed(batch.get(0).model(), tokens);
        } catch (RuntimeException | Error e) {
            batch.forEach(p -> p.result().completeExceptionally(e));
            if (e instanceof Error) {
                throw e; // the thread dies: liveness goes DOWN
            }
            return;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = count / Math.max(seconds, 1e-6);
        tokensPerSecond = tokensPerSecond <= 0 ? rate : 0.7 * tokensPerSecond + 0.3 * rate;
        int offset = 0;
        for (Pending<M> pending : batch) {
            int n = pending.tokens().size();
            float[][] own = new float[n][];
            System.arraycopy(vectors, offset, own, 0, n);
            offset += n;
            pending.result().complete(own);
        }
    }

    private void failWaiting() {
        RequestRejectedException stopped = RequestRejectedException.unavailable("the request batcher has stopped");
        for (Pending<M> p = queue.poll(); p != null; p = queue.poll()) {
            p.result().completeExceptionally(stopped);
        }
    }

    /** Finishes the call in progress; requests still waiting are answered 503. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join();
    }
}
