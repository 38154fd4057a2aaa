package ai.bellm.model;

import java.util.Locale;

/**
 * How a model's projection weights are stored and multiplied for embedding. Norms, attention, activations and the
 * embedding itself stay F32 either way; training always runs in F32.
 */
public enum Precision {
    /** Every weight F32: the reference. */
    F32,
    /** Projection weights in BF16 (adapters merged first), multiplied on the CPU's BF16 units (AMX where present). */
    BF16;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code f32} or {@code bf16}; anything else fails naming the choices. */
    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.cliName().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + text + "' (expected f32 or bf16)");
    }
}
