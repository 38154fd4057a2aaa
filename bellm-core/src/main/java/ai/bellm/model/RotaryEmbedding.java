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

    /** cos and sin tables [T, headDim] for positions 0..T-1 (each frequency repeated for both halves). */
    NDList tables(NDManager scope, int positions) {
        int half = headDim / 2;
        float[] cos = new float[positions * headDim];
        float[] sin = new float[positions * headDim];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * inverseFrequencies[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[p * headDim + i] = c;
                cos[p * headDim + i + half] = c;
                sin[p * headDim + i] = s;
                sin[p * headDim + i + half] = s;
            }
        }
        Shape shape = new Shape(positions, headDim);
        return new NDList(scope.create(cos, shape), scope.create(sin, shape));
    }

    /** Rotates x [..., T, headDim] by the tables. */
    static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        int last = x.getShape().dimension() - 1; // DJL's split wants a non-negative axis
        NDList halves = x.split(2, last);
        NDArray rotatedHalf = halves.get(1).neg().concat(halves.get(0), last);
        return x.mul(cos).add(rotatedHalf.mul(sin));
    }
}
