package ai.bellm.train;

import ai.bellm.embed.Progress;
import ai.bellm.model.LayerAttention;
import ai.bellm.model.LlamaModel;
import ai.bellm.model.TokenBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The output of the frozen layers 0..j-1 for every text, computed once per data set, so that a training step runs
 * only layers j..L-1. Valid because nothing below j trains and a text's hidden states never depend on the rest of its
 * batch (padding is masked in every layer, see {@link TokenBatch}).
 */
final class FrozenLayerCache {

    private final int layers;
    private final int hidden;
    private final Map<String, float[]> states = new HashMap<>();

    private FrozenLayerCache(int layers, int hidden) {
        this.layers = layers;
        this.hidden = hidden;
    }

    /** Runs the first {@code layers} layers over {@code texts} in length-sorted batches of {@code batchSize}. */
    static FrozenLayerCache build(LlamaModel model, TokenizedTexts tokens, Collection<String> texts, LayerAttention attention,
            int layers, int batchSize, Progress progress) {
        FrozenLayerCache cache = new FrozenLayerCache(layers, model.config().hiddenSize());
        List<String> sorted = new ArrayList<>(texts.stream().distinct().toList());
        sorted.sort(Comparator.comparingInt((String t) -> tokens.of(t).length).reversed());
        for (int start = 0; start < sorted.size(); start += batchSize) {
            List<String> chunk = sorted.subList(start, Math.min(sorted.size(), start + batchSize));
            TokenBatch batch = new TokenBatch(chunk.stream().map(tokens::of).toList());
            try (NDManager scope = model.manager().newSubManager()) {
                float[] all = model.frozenLayersOutput(scope, batch, attention, layers).toFloatArray();
                for (int b = 0; b < chunk.size(); b++) {
                    int offset = b * batch.maxLength() * cache.hidden;
                    cache.states.put(chunk.get(b), java.util.Arrays.copyOfRange(all, offset,
                            offset + batch.length(b) * cache.hidden));
                }
            }
            progress.update(Math.min(sorted.size(), start + batchSize), sorted.size());
        }
        return cache;
    }

    /** Layers whose output this cache holds: a forward continues at this layer index. */
    int layers() {
        return layers;
    }

    /** The cached states of the batch's texts, right-padded with zeros to [B, T, H]. */
    NDArray batchHidden(NDManager scope, List<String> texts, TokenBatch batch) {
        int t = batch.maxLength();
        float[] padded = new float[texts.size() * t * hidden];
        for (int b = 0; b < texts.size(); b++) {
            float[] state = states.get(texts.get(b));
            if (state == null) {
                throw new IllegalStateException("no cached prefix for text: " + texts.get(b));
            }
            System.arraycopy(state, 0, padded, b * t * hidden, state.length);
        }
        return scope.create(padded, new Shape(texts.size(), t, hidden));
    }

    long bytes() {
        return states.values().stream().mapToLong(s -> 4L * s.length).sum();
    }
}
