package ai.bellm.model;

import ai.bellm.model.DecoderLayer.Proj;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.EnumMap;
import java.util.Map;

/** The SwiGLU feed-forward block: down(silu(gate(x)) · up(x)). */
final class Mlp {

    private final Map<Proj, Projection> projections = new EnumMap<>(Proj.class);

    Mlp(Projection gate, Projection up, Projection down) {
        projections.put(Proj.GATE, gate);
        projections.put(Proj.UP, up);
        projections.put(Proj.DOWN, down);
    }

    Projection projection(Proj which) {
        return projections.get(which);
    }

    void setProjection(Proj which, Projection projection) {
        projections.replace(which, projection);
    }

    NDArray forward(NDArray x) {
        NDArray gate = projections.get(Proj.GATE).apply(x);
        NDArray silu = gate.mul(Activation.sigmoid(gate));
        return projections.get(Proj.DOWN).apply(silu.mul(projections.get(Proj.UP).apply(x)));
    }
}
