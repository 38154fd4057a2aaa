package ai.bellm.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Invented STS pairs in the JSONL format ({@code {"s1", "s2", "score"}}) for the tiny experiment: simple sentences
 * whose score (0 to 5) grows with the words the two share, so that any model's Spearman on them is defined. Together
 * with {@link ai.bellm.model.TinyModelFactory} they let a whole experiment run in minutes without downloads.
 */
public final class SyntheticStsPairs {
    private static final String[] SUBJECTS = {"A man", "A woman", "The child", "A dog", "Two birds", "The chef"};
    private static final String[] VERBS = {"plays", "eats", "watches", "paints", "carries", "finds"};
    private static final String[] OBJECTS = {"a guitar", "an apple", "the sea", "a fence", "a box", "the bread"};

    /** Sizes of the tiny experiment's sets: 4 batches of 8 per epoch, enough pairs for a stable Spearman. */
    public static final int TRAIN_PAIRS = 32;
    public static final int DEV_PAIRS = 24;

    private SyntheticStsPairs() {
    }

    /** The tiny experiment's training set. */
    public static Path writeTrainSet(Path file) throws IOException {
        return write(file, TRAIN_PAIRS, 1);
    }

    /** The tiny experiment's dev set (other pairs than the training set's). */
    public static Path writeDevSet(Path file) throws IOException {
        return write(file, DEV_PAIRS, 2);
    }

    /** {@code count} pairs as JSONL lines; a different {@code seed} gives different pairs. */
    public static List<String> jsonl(int count, int seed) {
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int s = (i * 7 + seed) % SUBJECTS.length;
            int v = (i * 5 + seed * 3) % VERBS.length;
            int o = (i * 3 + seed) % OBJECTS.length;
            int shared = i % 4;
            String s1 = SUBJECTS[s] + " " + VERBS[v] + " " + OBJECTS[o] + ".";
            String s2 = SUBJECTS[shared > 0 ? s : (s + 1) % SUBJECTS.length] + " "
                    + VERBS[shared > 1 ? v : (v + 2) % VERBS.length] + " "
                    + OBJECTS[shared > 2 ? o : (o + 1) % OBJECTS.length] + ".";
            lines.add(String.format(Locale.ROOT, "{\"s1\": \"%s\", \"s2\": \"%s\", \"score\": %.1f}", s1, s2,
                    shared * 5.0 / 3));
        }
        return lines;
    }

    /** Writes {@link #jsonl} to {@code file} (parent directories included) and returns it. */
    public static Path write(Path file, int count, int seed) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, jsonl(count, seed));
    }
}
