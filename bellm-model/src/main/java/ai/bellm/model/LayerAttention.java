package ai.bellm.model;

import ai.bellm.recipe.BidirectionalLayers;
import java.util.OptionalInt;

/**
 * Which decoder layers attend causally and which bidirectionally.
 *
 * <p>BeLLM keeps the first layers causal and removes the causal mask from every layer from index {@code
 * bidirectionalFrom} on (0-based); {@link BidirectionalLayers} derives it from the sweep's turning point. A value
 * equal to (or above) the layer count means all causal. Both modes keep the key-padding mask.
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

    /** From a recipe's bidirectional-from (empty: all causal). */
    public static LayerAttention of(OptionalInt bidirectionalFrom) {
        return bidirectionalFrom.isPresent() ? bidirectionalFrom(bidirectionalFrom.getAsInt()) : allCausal();
    }

    /** The recipe's value for this split: empty when all causal. */
    public OptionalInt asRecipeValue() {
        return bidirectionalFrom == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(bidirectionalFrom);
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
