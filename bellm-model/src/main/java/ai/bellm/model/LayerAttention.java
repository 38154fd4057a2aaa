package ai.bellm.model;

/**
 * Which decoder layers attend causally and which bidirectionally.
 *
 * <p>BeLLM keeps the first layers causal and removes the causal mask from every layer from index {@code
 * bidirectionalFrom} on (0-based). With the turning point {@code t} of the degradation sweep (the number of
 * uni-directional layers), {@code bidirectionalFrom = t}. A value equal to (or above) the layer count means all causal.
 * Both modes keep the key-padding mask.
 */
public record LayerAttention(int bidirectionalFrom) {

    public LayerAttention {
        if (bidirectionalFrom < 0) {
            throw new IllegalArgumentException("bidirectional-from must be >= 0, got " + bidirectionalFrom);
        }
    }

    public static LayerAttention allCausal() {
        return new LayerAttention(Integer.MAX_VALUE);
    }

    public static LayerAttention bidirectionalFrom(int layer) {
        return new LayerAttention(layer);
    }

    public boolean isBidirectional(int layer) {
        return layer >= bidirectionalFrom;
    }

    /** Rejects a split point that does not exist in a model of {@code numLayers} layers. */
    public void checkFits(int numLayers) {
        if (bidirectionalFrom != Integer.MAX_VALUE && bidirectionalFrom > numLayers) {
            throw new IllegalArgumentException("bidirectional-from " + bidirectionalFrom
                    + " is beyond the model's " + numLayers + " layers (use 0.." + numLayers + ")");
        }
    }

    @Override
    public String toString() {
        return bidirectionalFrom == Integer.MAX_VALUE ? "all causal" : "bidirectional from layer " + bidirectionalFrom;
    }
}
