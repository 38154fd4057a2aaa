package ai.bellm.cli;

import ai.bellm.model.Precision;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The precision of the model's projections, for the commands that embed ({@code bellm train} has its own option). */
public final class PrecisionOption {

    @Option(names = "--precision", paramLabel = "f32|bf16",
            description = "How the projection weights are stored to embed: f32, or bf16 (stored once in BF16 and"
                    + " multiplied on the CPU's BF16 units, AMX where present; norms, attention and activations stay"
                    + " F32; training itself always runs in F32). Default: the model package's, f32 for a base"
                    + " model.")
    String precision;

    public Optional<Precision> value() {
        return Optional.ofNullable(precision).map(Precision::parse);
    }
}
