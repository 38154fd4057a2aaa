package ai.bellm.data;

/** Thrown by a line parser; {@link BadLines} adds the file and line number or counts the skip. */
final class BadLineException extends Exception {

    BadLineException(String problem) {
        super(problem, null, false, false);
    }
}
