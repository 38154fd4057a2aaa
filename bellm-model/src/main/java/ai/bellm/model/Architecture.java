package ai.bellm.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The decoder families the engine runs. Qwen2 is LLaMA with a bias on the query, key and value projections; its
 * GGUF files keep HF's row order of Q and K (llama.cpp permutes them for LLaMA only).
 *
 * @param id GGUF's {@code general.architecture}, the prefix of its metadata keys, and HF's {@code model_type}
 */
public enum Architecture {
    LLAMA("llama", "LlamaForCausalLM", false, true),
    QWEN2("qwen2", "Qwen2ForCausalLM", true, false);

    private final String id;
    private final String hfClass;
    private final boolean qkvBias;
    private final boolean ggufPermutesQk;

    Architecture(String id, String hfClass, boolean qkvBias, boolean ggufPermutesQk) {
        this.id = id;
        this.hfClass = hfClass;
        this.qkvBias = qkvBias;
        this.ggufPermutesQk = ggufPermutesQk;
    }

    /** The architecture named {@code id}; unknown ones are refused, naming the supported ones. */
    public static Architecture of(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("architecture '" + id + "' is not supported (supported: "
                        + Arrays.stream(values()).map(Architecture::id).collect(Collectors.joining(", ")) + ")"));
    }

    public String id() {
        return id;
    }

    /** HF's class name of the model, for {@code config.json}'s {@code architectures}. */
    public String hfClass() {
        return hfClass;
    }

    /** Whether the query, key and value projections have a bias. */
    public boolean qkvBias() {
        return qkvBias;
    }

    /** Whether llama.cpp stored the Q and K rows of this architecture permuted for its interleaved rotary. */
    public boolean ggufPermutesQk() {
        return ggufPermutesQk;
    }
}
