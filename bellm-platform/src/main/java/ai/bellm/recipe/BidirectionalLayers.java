package ai.bellm.recipe;

/**
 * BeLLM's rule from the degradation sweep to backward dependency, in one place: with the turning point {@code t}
 * (the last number of causal layers before the sharp drop) of a model of {@code L} layers, the layers from
 * <b>K = min(t, L - 2)</b> on (0-based) attend bidirectionally and the first K stay causal.
 *
 * <p>Why not K = t alone: with last-token pooling a bidirectional last layer changes nothing (the last token attends
 * to every token anyway), so a turning point at or next to the top (t = L or t = L - 1) would train a model without
 * backward dependency. At least the two top layers become bidirectional.
 */
public final class BidirectionalLayers {

    /** The rule in words, for every text that states it (option help, the CRD's descriptions). */
    public static final String RULE = "layers from K = min(t, L - 2) on (0-based) attend bidirectionally, with t the"
            + " turning point and L the model's layer count";

    private BidirectionalLayers() {
    }

    /** K, the first bidirectional layer (0-based), for turning point {@code turningPoint} of {@code numLayers}. */
    public static int fromTurningPoint(int turningPoint, int numLayers) {
        if (turningPoint < 1 || turningPoint > numLayers) {
            throw new IllegalArgumentException("turning point " + turningPoint + " is not a layer count of a model of "
                    + numLayers + " layers (use 1.." + numLayers + ")");
        }
        return Math.max(0, Math.min(turningPoint, numLayers - 2));
    }
}
