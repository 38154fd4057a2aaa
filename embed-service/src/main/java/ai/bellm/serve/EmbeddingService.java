package ai.bellm.serve;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Embeds the texts of one REST request with the model in service, in token-budgeted forward passes. */
@ApplicationScoped
public class EmbeddingService {

    /** The vectors, the prompted tokens they took, and the model version that made them. */
    public record Result(float[][] embeddings, int tokens, String model, String version) {
    }

    /** No model in service yet (answered with 503). */
    public static final class NotReadyException extends RuntimeException {
        NotReadyException() {
            super("no model loaded yet");
        }
    }

    private final ModelHolder models;
    private final ServiceConfig config;

    EmbeddingService(ModelHolder models, ServiceConfig config) {
        this.models = models;
        this.config = config;
    }

    /**
     * @param normalize null for the service default
     * @param truncate null for the service default; false rejects over-long input with
     *                 {@link ai.bellm.embed.InputTooLongException}
     */
    public Result embed(List<String> texts, Boolean normalize, Boolean truncate) {
        if (texts == null || texts.isEmpty()) {
            throw new IllegalArgumentException("no input text");
        }
        if (texts.stream().anyMatch(t -> t == null)) {
            throw new IllegalArgumentException("input texts must not be null");
        }
        try (LoadedModel.Lease lease = models.lease().orElseThrow(NotReadyException::new)) {
            LoadedModel model = lease.model();
            BudgetedEmbedder embedder = new BudgetedEmbedder(model.embedder(
                    normalize != null ? normalize : config.embedding().normalize(),
                    truncate != null ? truncate : config.embedding().truncate()), config.embedding().maxBatchTokens());
            List<int[]> tokens = texts.stream().map(embedder::tokens).toList();
            float[][] vectors = embedder.embed(tokens);
            return new Result(vectors, tokens.stream().mapToInt(t -> t.length).sum(), model.name(), model.version());
        }
    }
}
