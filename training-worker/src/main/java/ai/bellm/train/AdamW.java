package ai.bellm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * AdamW (Loshchilov &amp; Hutter 2019) over named FLOAT32 parameters, reading each parameter's gradient after a
 * backward pass. Per parameter p with gradient g, at step t (1-based):
 * <pre>
 *   p ← p − lr·λ·p                      (decoupled weight decay, only for the parameters named in decayed)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   p ← p − lr · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
 * </pre>
 * which is PyTorch's {@code torch.optim.AdamW}. Call {@link #zeroGradients()} after each step. The caller decides which parameters decay (by convention not norms
 * and biases). Updates are in place and happen outside any {@code GradientCollector}; temporaries live in a per-step
 * scope whose arrays are always the first operand, so nothing accumulates in the parameters' or the state's manager.
 */
public final class AdamW implements AutoCloseable {

    /** Hyper-parameters; {@link #defaults()} are PyTorch's except a weight decay of 0.01 (also PyTorch's AdamW). */
    public record Settings(double beta1, double beta2, double epsilon, double weightDecay) {

        public Settings {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (!(epsilon > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("need epsilon > 0 and weightDecay >= 0, got " + epsilon + ", "
                        + weightDecay);
            }
        }

        public static Settings defaults() {
            return new Settings(0.9, 0.999, 1e-8, 0.01);
        }
    }

    /** The key of the step counter in {@link #state()}; moments are under {@code m/<name>} and {@code v/<name>}. */
    public static final String STEP_KEY = "step";
    /** A step count is exported as a float; beyond 2^24 it would no longer be exact. */
    private static final long MAX_EXACT_STEP = 1L << 24;
    private static final NDIndex ALL = new NDIndex("...");

    private final Map<String, NDArray> parameters;
    private final Set<String> decayed;
    private final Settings settings;
    private final NDManager stateManager;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long step;

    /**
     * @param parameters the trainable arrays by name (FLOAT32, gradients required), iterated in the map's order
     * @param decayed    the names of the parameters that get weight decay
     */
    public AdamW(Map<String, NDArray> parameters, Set<String> decayed, Settings settings) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("no parameters to optimise");
        }
        for (String name : decayed) {
            if (!parameters.containsKey(name)) {
                throw new IllegalArgumentException("decayed parameter '" + name + "' is not among the parameters");
            }
        }
        this.parameters = new LinkedHashMap<>(parameters);
        this.decayed = Set.copyOf(decayed);
        this.settings = settings;
        this.stateManager = parameters.values().iterator().next().getManager().newSubManager();
        for (Map.Entry<String, NDArray> entry : this.parameters.entrySet()) {
            NDArray parameter = entry.getValue();
            if (parameter.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("parameter '" + entry.getKey() + "' is "
                        + parameter.getDataType() + ", AdamW here optimises FLOAT32 parameters");
            }
            firstMoments.put(entry.getKey(), stateManager.zeros(parameter.getShape(), DataType.FLOAT32));
            secondMoments.put(entry.getKey(), stateManager.zeros(parameter.getShape(), DataType.FLOAT32));
        }
    }

    /** The number of updates applied so far. */
    public long steps() {
        return step;
    }

    /** Applies one update with the gradients of the last backward pass. */
    public void step(double learningRate) {
        step++;
        double correction1 = 1 - Math.pow(settings.beta1, step);
        double correction2 = 1 - Math.pow(settings.beta2, step);
        try (NDManager scope = stateManager.newSubManager()) {
            for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                String name = entry.getKey();
                NDArray parameter = entry.getValue();
                NDArray gradient = parameter.getGradient();
                gradient.attach(scope); // the wrapper only; the parameter keeps its gradient
                NDArray m = firstMoments.get(name);
                NDArray v = secondMoments.get(name);
                if (decayed.contains(name)) {
                    parameter.muli(scalar(scope, 1 - learningRate * settings.weightDecay));
                }
                m.muli(scalar(scope, settings.beta1)).addi(scalar(scope, 1 - settings.beta1).mul(gradient));
                v.muli(scalar(scope, settings.beta2)).addi(scalar(scope, 1 - settings.beta2).mul(gradient.square()));
                NDArray denominator = scalar(scope, 1 / correction2).mul(v).sqrt().add(scalar(scope, settings.epsilon));
                parameter.subi(scalar(scope, learningRate / correction1).mul(m).div(denominator));
            }
        }
    }

    /**
     * Sets the parameters' gradients to 0. Needed between steps: DJL's PyTorch engine accumulates gradients across
     * {@code GradientCollector}s (a second backward adds to the first), like PyTorch without {@code zero_grad()}.
     * Filling with 0 rather than multiplying by 0 also clears a NaN gradient.
     */
    public void zeroGradients() {
        try (NDManager scope = stateManager.newSubManager()) {
            for (NDArray parameter : parameters.values()) {
                NDArray gradient = parameter.getGradient();
                gradient.attach(scope);
                gradient.set(ALL, 0f);
            }
        }
    }

    /** Moments and step count as float arrays, for a checkpoint. */
    public Map<String, float[]> state() {
        if (step > MAX_EXACT_STEP) {
            throw new IllegalStateException("step " + step + " cannot be exported exactly as a float");
        }
        Map<String, float[]> state = new LinkedHashMap<>();
        state.put(STEP_KEY, new float[] {step});
        firstMoments.forEach((name, m) -> state.put("m/" + name, m.toFloatArray()));
        secondMoments.forEach((name, v) -> state.put("v/" + name, v.toFloatArray()));
        return state;
    }

    /** Restores what {@link #state()} exported, for the same parameter names and shapes. */
    public void load(Map<String, float[]> state) {
        float[] savedStep = state.get(STEP_KEY);
        if (savedStep == null || savedStep.length != 1 || savedStep[0] < 0 || savedStep[0] != Math.rint(savedStep[0])) {
            throw new IllegalArgumentException("optimizer state lacks a valid '" + STEP_KEY + "'");
        }
        if (state.size() != 1 + 2 * parameters.size()) {
            throw new IllegalArgumentException("optimizer state has " + (state.size() - 1) + " moment arrays, expected "
                    + 2 * parameters.size() + " for " + parameters.keySet());
        }
        requireMoments("m/", firstMoments, state);
        requireMoments("v/", secondMoments, state);
        firstMoments.forEach((name, m) -> m.set(state.get("m/" + name)));
        secondMoments.forEach((name, v) -> v.set(state.get("v/" + name)));
        step = (long) savedStep[0];
    }

    private static void requireMoments(String prefix, Map<String, NDArray> moments, Map<String, float[]> state) {
        moments.forEach((name, moment) -> {
            float[] values = state.get(prefix + name);
            if (values == null || values.length != moment.size()) {
                throw new IllegalArgumentException("optimizer state for '" + prefix + name
                        + "' is missing or has the wrong size");
            }
        });
    }

    private static NDArray scalar(NDManager scope, double value) {
        return scope.create((float) value);
    }

    /** Frees the moments. */
    @Override
    public void close() {
        stateManager.close();
    }
}
