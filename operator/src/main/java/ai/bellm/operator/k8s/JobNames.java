package ai.bellm.operator.k8s;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic Job names, {@code <experiment>-<step>-g<generation>}, so that a restarted operator finds the Jobs it
 * created. Names stay within 63 characters (the {@code job-name} label the Job controller puts on pods): a long
 * experiment name is cut and a hash of it keeps the name unique.
 */
public final class JobNames {
    static final int MAX = 63;

    private JobNames() {
    }

    public static String of(String experiment, String step, long generation) {
        String suffix = "-" + step + "-g" + generation;
        if (experiment.length() + suffix.length() <= MAX) {
            return experiment + suffix;
        }
        String hash = sha256(experiment).substring(0, 8);
        String head = experiment.substring(0, MAX - suffix.length() - hash.length() - 1).replaceAll("[-.]+$", "");
        return head + "-" + hash + suffix;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
