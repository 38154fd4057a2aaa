package ai.bellm.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a SICK file: tab-separated with a header row naming {@code sentence_A}, {@code sentence_B} and
 * {@code relatedness_score} (other columns, such as {@code pair_ID} and {@code entailment_judgment}, are ignored).
 * The score is the relatedness (1–5). Blank lines are ignored.
 */
public final class SickReader {

    private static final String SENTENCE_A = "sentence_A";
    private static final String SENTENCE_B = "sentence_B";
    private static final String RELATEDNESS = "relatedness_score";

    private SickReader() {
    }

    public static StsDataset read(Path file, String name, BadLinePolicy policy) {
        List<String> lines = TextFiles.readLines(file, "SICK file");
        if (lines.isEmpty()) {
            throw new DatasetException(file, "SICK file is empty, expected a header row");
        }
        List<String> header = Arrays.asList(lines.get(0).strip().split("\t", -1));
        int a = column(file, header, SENTENCE_A);
        int b = column(file, header, SENTENCE_B);
        int score = column(file, header, RELATEDNESS);
        int required = Math.max(a, Math.max(b, score)) + 1;

        BadLines bad = new BadLines(file, policy);
        List<ScoredPair> pairs = bad.parseEach(lines, 1, line -> {
            String[] columns = Fields.columns(line, required, String.join(", ", header));
            return new ScoredPair(
                    Fields.sentence(columns[a], SENTENCE_A),
                    Fields.sentence(columns[b], SENTENCE_B),
                    Fields.score(columns[score], RELATEDNESS));
        });
        if (pairs.isEmpty()) {
            throw TextFiles.noPairs(file, bad.skipped());
        }
        return StsDataset.of(name, pairs, bad.skipped());
    }

    private static int column(Path file, List<String> header, String name) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new DatasetException(file, 1, "header has no column '" + name + "' (found " + header + ")");
        }
        return index;
    }
}
