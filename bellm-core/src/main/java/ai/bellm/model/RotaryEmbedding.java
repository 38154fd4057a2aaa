package ai.bellm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in the Hugging Face LLaMA layout: the head dimension is split into two halves that rotate
 * together ({@code rotate_half}), with frequencies {@code theta^(-2i/d)}.
 */
final class RotaryEmbedding {

    private final int headDim;
    private final double[] inverseFrequencies;

    RotaryEmbedding(int headDim, double theta) {
        this.headDim = headDim;
        this.inverseFrequencies = new double[headDim / 2];
        for (int i = 0; i < headDim / 2; i++) {
            inverseFrequencies[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
    }

    /**
     * The rotation of tokens at {@code positions}, for arrays [..., positions.length, heads, d]. Queries also take the
     * attention's scale {@code queryScale}: rotation is linear, so the scale rides on their tables for free instead of
     * costing an op on every layer's scores.
     */
    Rotation rotation(NDManager scope, int[] positions, double queryScale) {
        NDList keys = tables(scope, positions, 1.0);
        NDList queries = tables(scope, positions, queryScale);
        return new Rotation(keys.get(0), keys.get(1), queries.get(0), queries.get(1));
    }

    /**
     * cos and signed sin tables [T, 1, d] (1 to broadcast over heads): each frequency for both halves, the sine
     * negated in the first half, so that x·cos + swapHalves(x)·sin is HF's x·cos + rotate_half(x)·sin.
     */
    private NDList tables(NDManager scope, int[] positions, double scale) {
        int half = headDim / 2;
        float[] cos = new float[positions.length * headDim];
        float[] sin = new float[positions.length * headDim];
        for (int p = 0; p < positions.length; p++) {
            for (int i = 0; i < half; i++) {
                double angle = positions[p] * inverseFrequencies[i];
                float c = (float) (Math.cos(angle) * scale);
                float s = (float) (Math.sin(angle) * scale);
                cos[p * headDim + i] = c;
                cos[p * headDim + i + half] = c;
                sin[p * headDim + i] = -s;
                sin[p * headDim + i + half] = s;
            }
        }
        Shape shape = new Shape(positions.length, 1, headDim);
        return new NDList(scope.create(cos, shape), scope.create(sin, shape));
    }

    /** Tables of one forward (sines signed as above): for keys, and for queries with the attention scale. */
    record Rotation(NDArray keyCos, NDArray keySin, NDArray queryCos, NDArray querySin) {

        NDArray keys(NDArray x) {
            return rotate(x, keyCos, keySin);
        }

        NDArray queries(NDArray x) {
            return rotate(x, queryCos, querySin);
        }

        private static NDArray rotate(NDArray x, NDArray cos, NDArray signedSin) {
            int last = x.getShape().dimension() - 1; // DJL's split wants a non-negative axis
            NDList halves = x.split(2, last);
            return x.mul(cos).add(halves.get(1).concat(halves.get(0), last).mul(signedSin));
        }
    }
}
