package ai.bellm.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One evaluation of an {@link AnglEObjective}.
 *
 * @param total the weighted sum, the scalar to call backward on
 * @param parts the unweighted value of each part that was computed, by name ({@link AnglEObjective#COSENT},
 *              {@link AnglEObjective#INFONCE}, {@link AnglEObjective#ANGLE})
 */
public record LossValue(NDArray total, Map<String, NDArray> parts) {

    public LossValue {
        parts = Map.copyOf(parts);
    }

    /** Total and parts as numbers, for logging: {@code total} first, then the parts. */
    public Map<String, Double> toDoubles() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("total", total.toType(DataType.FLOAT64, false).getDouble());
        for (String name : new String[] {AnglEObjective.COSENT, AnglEObjective.INFONCE, AnglEObjective.ANGLE}) {
            NDArray part = parts.get(name);
            if (part != null) {
                values.put(name, part.toType(DataType.FLOAT64, false).getDouble());
            }
        }
        return values;
    }
}
