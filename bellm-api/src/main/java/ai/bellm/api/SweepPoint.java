package ai.bellm.api;

/** Spearman x100 of the base model truncated to its first {@code layers} causal layers. */
public class SweepPoint {
    public int layers;
    public double spearman;

    public SweepPoint() {
    }

    public SweepPoint(int layers, double spearman) {
        this.layers = layers;
        this.spearman = spearman;
    }
}
