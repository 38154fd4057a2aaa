package ai.bellm.operator.k8s;

import ai.bellm.experiment.workflow.StepKey;
import ai.bellm.io.Sha256;

/**
 * Deterministic Job names, {@code <experiment>-<step>-<instance>}, the instance naming one attempt at the step's
 * inputs ({@link StepKey#instance()}): a restarted operator finds the Jobs it created, and a step of other inputs or
 * a later attempt never collides with an earlier Job still being deleted. Names stay within 63 characters (the
 * {@code job-name} label the Job controller puts on pods): a long experiment name is cut and a hash of it keeps the
 * name unique.
 */
public final class JobNames {
    static final int MAX = 63;

    private JobNames() {
    }

    public static String of(String experiment, StepKey key) {
        String suffix = "-" + key.id().name() + "-" + key.instance();
        if (experiment.length() + suffix.length() <= MAX) {
            return experiment + suffix;
        }
        String hash = Sha256.hex(experiment).substring(0, 8);
        String head = experiment.substring(0, MAX - suffix.length() - hash.length() - 1).replaceAll("[-.]+$", "");
        return head + "-" + hash + suffix;
    }
}
