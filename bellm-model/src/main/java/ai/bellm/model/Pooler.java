package ai.bellm.model;

import ai.bellm.recipe.Pooling;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** A {@link Pooling} applied to hidden states; padding positions never contribute. */
public final class Pooler {

    private Pooler() {
    }

    /** Pools hidden [B, T, H] into [B, H] as a weighted sum over positions, with weights built from the lengths. */
    public static NDArray pool(Pooling pooling, NDArray hidden, TokenBatch batch) {
        int t = batch.maxLength();
        float[] weights = new float[batch.size() * t];
        for (int b = 0; b < batch.size(); b++) {
            int len = batch.length(b);
            if (pooling == Pooling.LAST_TOKEN) {
                weights[b * t + len - 1] = 1f;
            } else {
                for (int i = 0; i < len; i++) {
                    weights[b * t + i] = 1f / len;
                }
            }
        }
        NDArray w = hidden.getManager().create(weights, new Shape(batch.size(), 1, t));
        return w.matMul(hidden).squeeze(1);
    }
}
