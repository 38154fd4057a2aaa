package ai.bellm.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Low-rank adapters (LoRA, Hu et al. 2021): W x + (alpha / rank) B A dropout(x) on the chosen projections of layers
 * {@code firstLayer..lastLayer} (0-based, inclusive); A starts random, B at zero, so training starts from the base model.
 */
public record LoraConfig(int rank, float alpha, float dropout, Set<DecoderLayer.Proj> targets, int firstLayer,
        int lastLayer) {

    /** {@code lastLayer} meaning "up to the model's last layer", resolved by {@link #forModel(int)}. */
    public static final int LAST_LAYER = Integer.MAX_VALUE;

    public LoraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
        }
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("LoRA alpha must be positive, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target projection");
        }
        if (firstLayer < 0 || lastLayer < firstLayer) {
            throw new IllegalArgumentException("LoRA layer range " + firstLayer + ".." + lastLayer + " is empty");
        }
        targets = Set.copyOf(targets);
    }

    /** This config with {@link #LAST_LAYER} replaced by the last layer of a model of {@code numLayers} layers. */
    public LoraConfig forModel(int numLayers) {
        return lastLayer == LAST_LAYER
                ? new LoraConfig(rank, alpha, dropout, targets, firstLayer, numLayers - 1) : this;
    }

    public float scale() {
        return alpha / rank;
    }

    /** Parses target names as the CLI spells them: {@code q,k,v,o,gate,up,down} or {@code all}. */
    public static Set<DecoderLayer.Proj> parseTargets(String list) {
        Set<DecoderLayer.Proj> targets = EnumSet.noneOf(DecoderLayer.Proj.class);
        for (String name : list.split(",")) {
            String key = name.trim().toUpperCase(Locale.ROOT);
            if (key.equals("ALL")) {
                targets.addAll(EnumSet.allOf(DecoderLayer.Proj.class));
                continue;
            }
            try {
                targets.add(DecoderLayer.Proj.valueOf(key));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown LoRA target '" + name.trim()
                        + "' (use q, k, v, o, gate, up, down or all)");
            }
        }
        return targets;
    }
}
