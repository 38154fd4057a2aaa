package ai.bellm.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The angle loss of AnglE (Li &amp; Li 2023, "AnglE-optimized text embeddings"), which ranks pairs by an angle
 * similarity computed in complex space instead of by the cosine, whose gradient vanishes near ±1.
 *
 * <p>Each embedding of dimension D (even) is read as D/2 complex numbers: the first half holds the real parts, the
 * second half the imaginary parts, z = a + bi for u and w = c + di for v. Per coordinate, the complex division is
 * <pre>  z_k / w_k = ((a_k c_k + b_k d_k) + (b_k c_k − a_k d_k) i) / (c_k² + d_k²)</pre>
 * AnglE's reference implementation divides the numerators by the whole vector's |w|² = Σ_k (c_k² + d_k²) and then
 * normalises by |z| / |w| (|z| = ‖u‖, |w| = ‖v‖), so coordinate k becomes
 * <pre>  q_k = ((a_k c_k + b_k d_k) + (b_k c_k − a_k d_k) i) / (‖u‖ ‖v‖)</pre>
 * (the real parts alone sum to cos(u, v)). We follow that implementation, not a per-coordinate |w_k|², so that the
 * weights and τ tuned for AnglE keep their meaning. The real and imaginary parts are pooled by summing over all
 * coordinates, the absolute value taken and scaled:
 * <pre>  A_i = τ · | Σ_k (Re q_k + Im q_k) |</pre>
 * and A ranked like CoSENT: {@code log(1 + Σ_{y_i > y_j} exp(A_j − A_i))}. (The paper writes the exponent with the
 * opposite sign of an angle difference; AnglE's code, which this follows, ranks A as a similarity.)
 */
public final class AngleLoss {

    private AngleLoss() {
    }

    /**
     * @param u    first sentences' embeddings [B, D], D even (activations: constants are created in their manager)
     * @param v    second sentences' embeddings [B, D]
     * @param gold gold similarity scores [B]
     * @return the loss, a scalar
     */
    public static NDArray compute(NDArray u, NDArray v, NDArray gold, double tau) {
        Tensors.requirePairs(u, v);
        Tensors.requireScores(u, gold);
        if (u.getShape().get(1) % 2 != 0) {
            throw new IllegalArgumentException("the angle loss needs an even embedding dimension, got "
                    + u.getShape().get(1));
        }
        return RankingLoss.of(similarities(u, v).mul(Tensors.scalar(u, tau)), gold);
    }

    /** |Σ_k (Re q_k + Im q_k)| per pair, before τ: [B]. */
    static NDArray similarities(NDArray u, NDArray v) {
        NDList z = u.split(2, 1);
        NDList w = v.split(2, 1);
        NDArray a = z.get(0);
        NDArray b = z.get(1);
        NDArray c = w.get(0);
        NDArray d = w.get(1);
        NDArray real = a.mul(c).add(b.mul(d));
        NDArray imaginary = b.mul(c).sub(a.mul(d));
        NDArray pooled = real.add(imaginary).sum(new int[] {1});
        return pooled.div(Tensors.floored(Tensors.rowNorms(u).mul(Tensors.rowNorms(v)))).abs();
    }
}
