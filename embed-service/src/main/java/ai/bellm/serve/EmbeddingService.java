package ai.bellm.serve;

import ai.bellm.embed.SentenceEmbedder;
import ai.bellm.metrics.Vectors;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Embeds the texts of one REST request with the model in service: checks the request's limits, tokenizes on the
 * caller's thread, and waits for the {@link RequestBatcher} that embeds it together with the requests arriving
 * alongside it.
 */
@ApplicationScoped
public class EmbeddingService {

    /** The vectors, the prompted tokens they took, and the model version that made them. */
    public record Result(float[][] embeddings, int tokens, String model, String version) {
    }

    private final ModelHolder models;
    private final ServiceConfig config;
    private final ServiceMetrics metrics;
    private final RequestBatcher<LoadedModel> batcher;

    EmbeddingService(ModelHolder models, ServiceConfig config, ServiceMetrics metrics) {
        this.models = models;
        this.config = config;
        this.metrics = metrics;
        int maxBatchTokens = config.embedding().maxBatchTokens();
        this.batcher = new RequestBatcher<>(passes(maxBatchTokens), maxBatchTokens,
                config.rest().maxQueuedRequests(), metrics);
    }

    /**
     * How the batcher embeds what it gathered: unnormalized (each request normalizes its own), in forward passes of
     * at most {@code maxBatchTokens}.
     */
    static RequestBatcher.Embedder<LoadedModel> passes(int maxBatchTokens) {
        return (model, tokens) -> new BudgetedEmbedder(model.embedder(false, false), maxBatchTokens).embed(tokens);
    }

    /**
     * @param normalize null for the service default
     * @param truncate null for the service default; false rejects over-long input with
     *                 {@link ai.bellm.embed.InputTooLongException}
     * @throws RequestRejectedException over a limit, or with no model in service yet
     */
    public Result embed(List<String> texts, Boolean normalize, Boolean truncate) {
        if (texts == null || texts.isEmpty()) {
            throw new IllegalArgumentException("no input text");
        }
        if (texts.stream().anyMatch(t -> t == null)) {
            throw new IllegalArgumentException("input texts must not be null");
        }
        ServiceConfig.RestSettings limits = config.rest();
        if (texts.size() > limits.maxInputs()) {
            metrics.restRejected("too-many-inputs");
            throw RequestRejectedException.tooManyInputs(texts.size(), limits.maxInputs());
        }
        try (LoadedModel.Lease lease = models.lease()
                .orElseThrow(() -> RequestRejectedException.unavailable("no model loaded yet"))) {
            LoadedModel model = lease.model();
            List<int[]> tokens = tokenize(model, texts, truncate != null ? truncate : config.embedding().truncate());
            float[][] vectors = await(model, tokens);
            if (normalize != null ? normalize : config.embedding().normalize()) {
                for (int i = 0; i < vectors.length; i++) {
                    vectors[i] = Vectors.normalized(vectors[i]);
                }
            }
            return new Result(vectors, tokens.stream().mapToInt(t -> t.length).sum(), model.name(), model.version());
        }
    }

    /** What killed the request batcher, if it died (see {@link ServiceLiveness}). */
    Optional<Throwable> death() {
        return batcher.death();
    }

    /** The texts' token sequences; stops at the first text over the request's token budget. */
    private List<int[]> tokenize(LoadedModel model, List<String> texts, boolean truncate) {
        SentenceEmbedder tokenizer = model.embedder(false, truncate);
        int budget = config.rest().maxRequestTokens();
        List<int[]> tokens = new ArrayList<>(texts.size());
        for (String text : texts) {
            int[] ids = tokenizer.tokenize(text);
            budget -= ids.length;
            if (budget < 0) {
                metrics.restRejected("too-many-tokens");
                throw RequestRejectedException.tooManyTokens(config.rest().maxRequestTokens());
            }
            tokens.add(ids);
        }
        return tokens;
    }

    private float[][] await(LoadedModel model, List<int[]> tokens) {
        try {
            return batcher.submit(model, tokens).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RequestRejectedException.unavailable("interrupted while waiting for the embeddings");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("embedding failed", e.getCause());
        }
    }

    @PreDestroy
    void close() throws InterruptedException {
        batcher.close();
    }
}
