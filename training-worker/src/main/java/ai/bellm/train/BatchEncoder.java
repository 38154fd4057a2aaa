package ai.bellm.train;

import ai.bellm.model.LayerAttention;
import ai.bellm.model.LlamaModel;
import ai.bellm.model.Pooler;
import ai.bellm.model.TokenBatch;
import ai.bellm.recipe.Pooling;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Optional;

/**
 * Texts to pooled embeddings [N, D] inside a training step (differentiable in the trainable weights): from the cached
 * output of the frozen layers when there is one, else through the whole model.
 */
final class BatchEncoder {

    private final LlamaModel model;
    private final TokenizedTexts tokens;
    private final Optional<FrozenLayerCache> frozenLayers;
    private final LayerAttention attention;
    private final Pooling pooling;

    BatchEncoder(LlamaModel model, TokenizedTexts tokens, Optional<FrozenLayerCache> frozenLayers, LayerAttention attention,
            Pooling pooling) {
        this.model = model;
        this.tokens = tokens;
        this.frozenLayers = frozenLayers;
        this.attention = attention;
        this.pooling = pooling;
    }

    NDArray encode(NDManager scope, List<String> texts) {
        TokenBatch batch = new TokenBatch(texts.stream().map(tokens::of).toList());
        NDArray hidden = frozenLayers.isPresent()
                ? model.forwardFrom(scope, frozenLayers.get().batchHidden(scope, texts, batch), batch, attention,
                        frozenLayers.get().layers())
                : model.forward(scope, batch, attention);
        return Pooler.pool(pooling, hidden, batch);
    }

    NDManager manager() {
        return model.manager();
    }

    long tokenCount(List<String> texts) {
        return texts.stream().mapToLong(t -> tokens.of(t).length).sum();
    }

    /** Embeddings as Java arrays, no gradient, in chunks of {@code batchSize} (for dev evaluation). */
    float[][] embed(List<String> texts, int batchSize) {
        float[][] out = new float[texts.size()][];
        for (int start = 0; start < texts.size(); start += batchSize) {
            List<String> chunk = texts.subList(start, Math.min(texts.size(), start + batchSize));
            try (NDManager scope = model.manager().newSubManager()) {
                float[] flat = encode(scope, chunk).toFloatArray();
                int dim = flat.length / chunk.size();
                for (int i = 0; i < chunk.size(); i++) {
                    out[start + i] = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
                }
            }
        }
        return out;
    }
}
