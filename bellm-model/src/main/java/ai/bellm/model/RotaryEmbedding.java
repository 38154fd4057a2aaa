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
        int half = headDim / 2;
        int size = positions.length * headDim;
        float[] cos = new float[size];
        float[] sin = new float[size];
        float[] queryCos = new float[size];
        float[] querySin = new float[size];
        for (int p = 0; p < positions.length; p++) {
            for (int i = 0; i < half; i++) {
                double angle = positions[p] * inverseFrequencies[i];
                double c = Math.cos(angle);
                double s = Math.sin(angle);
                // each frequency for both halves, the sine negated in the first: x·cos + swapHalves(x)·sin is then
                // HF's x·cos + rotate_half(x)·sin
                int first = p * headDim + i;
                int second = first + half;
                cos[first] = cos[second] = (float) c;
                sin[first] = (float) -s;
                sin[second] = (float) s;
                queryCos[first] = queryCos[second] = (float) (c * queryScale);
                querySin[first] = (float) (-s * queryScale);
                querySin[second] = (float) (s * queryScale);
            }
        }
        Shape shape = new Shape(positions.length, 1, headDim); // 1 to broadcast over heads
        return new Rotation(scope.create(cos, shape), scope.create(sin, shape), scope.create(queryCos, shape),
                scope.create(querySin, shape));
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
