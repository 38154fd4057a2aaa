package ai.bellm.experiment.workflow;

import ai.bellm.io.Sha256;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One attempt at a step on given inputs. Runners name what they start after {@link #instance()}, so that they find
 * it again after a restart, and never take a step of other inputs or an earlier attempt for this one.
 *
 * @param inputs  digest of everything the step's result depends on ({@link #digest})
 * @param attempt 0 first; one more after each retry or resume of the same inputs
 */
public record StepKey(StepId id, String inputs, int attempt) {
    /** Hex digits of the instance: 40 bits, so that two attempts of one step never meet. */
    private static final int INSTANCE_LENGTH = 10;

    /** The digest of a step's inputs: its parent run (the tracking context), command line, environment and GPUs. */
    public static String digest(String parentRun, StepId id, List<String> args, Map<String, String> env,
                                boolean gpu) {
        return Sha256.hex(String.join("\n", parentRun, id.name(), String.join("\u0000", args),
                new TreeMap<>(env).toString(), Boolean.toString(gpu))).substring(0, 16);
    }

    public String instance() {
        return Sha256.hex(inputs + "/" + attempt).substring(0, INSTANCE_LENGTH);
    }
}
