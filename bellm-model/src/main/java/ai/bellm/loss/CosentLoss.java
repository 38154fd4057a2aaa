package ai.bellm.loss;

import ai.djl.ndarray.NDArray;

/**
 * CoSENT (Su 2022; AnglE's {@code cosine} part): ranks the pairs' cosines by their gold scores,
 * <pre>  s_i = τ · cos(u_i, v_i),   loss = log(1 + Σ_{(i,j): y_i > y_j} exp(s_j − s_i))</pre>
 */
public final class CosentLoss {

    private CosentLoss() {
    }

    /**
     * @param u    first sentences' embeddings [B, D] (activations: constants are created in their manager)
     * @param v    second sentences' embeddings [B, D]
     * @param gold gold similarity scores [B], any scale (only their order matters)
     * @return the loss, a scalar
     */
    public static NDArray compute(NDArray u, NDArray v, NDArray gold, double tau) {
        Tensors.requirePairs(u, v);
        Tensors.requireScores(u, gold);
        return RankingLoss.of(Tensors.rowCosines(u, v).mul(Tensors.scalar(u, tau)), gold);
    }
}
