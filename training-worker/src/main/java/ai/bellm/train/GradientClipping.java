package ai.bellm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Collection;

/** Clipping of gradients by their global L2 norm, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {

    /** Keeps the clipped norm just under the maximum and avoids dividing by 0 (PyTorch's constant). */
    private static final double EPSILON = 1e-6;

    private GradientClipping() {
    }

    /**
     * Scales the gradients of all {@code parameters} in place by {@code maxNorm / (norm + 1e-6)} when their global
     * norm sqrt(Σ ‖g‖²) exceeds {@code maxNorm}; call it between backward and the optimizer step.
     *
     * @return the global norm before clipping (to log; NaN or infinite when a gradient is)
     */
    public static double clipByGlobalNorm(Collection<NDArray> parameters, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        if (parameters.isEmpty()) {
            return 0;
        }
        try (NDManager scope = parameters.iterator().next().getManager().newSubManager()) {
            NDArray[] gradients = new NDArray[parameters.size()];
            double sumOfSquares = 0;
            int i = 0;
            for (NDArray parameter : parameters) {
                gradients[i] = parameter.getGradient();
                gradients[i].attach(scope); // the wrapper only; the parameter keeps its gradient
                sumOfSquares += gradients[i].square().sum().toType(DataType.FLOAT64, false)
                        .getDouble();
                i++;
            }
            double norm = Math.sqrt(sumOfSquares);
            if (norm > maxNorm) {
                NDArray factor = scope.create((float) (maxNorm / (norm + EPSILON)));
                for (NDArray gradient : gradients) {
                    gradient.muli(factor);
                }
            }
            return norm;
        }
    }
}
