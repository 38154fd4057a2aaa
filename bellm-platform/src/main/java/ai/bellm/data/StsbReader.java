package ai.bellm.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads an STS Benchmark file: tab-separated {@code genre, file, year, id, score, s1, s2}, no header.
 *
 * <p>Lines are split on tabs only, without CSV quoting: the real files contain unbalanced double quotes inside
 * sentences, and some lines carry extra columns (sources) after {@code s2}, which are ignored. Blank lines are
 * ignored.
 */
public final class StsbReader {

    private static final String LAYOUT = "genre, file, year, id, score, s1, s2";

    private StsbReader() {
    }

    public static StsDataset read(Path file, String name, BadLinePolicy policy) {
        List<String> lines = TextFiles.readLines(file, "STS-B file");
        BadLines bad = new BadLines(file, policy);
        List<ScoredPair> pairs = bad.parseEach(lines, 0, StsbReader::parse);
        if (pairs.isEmpty()) {
            throw TextFiles.noPairs(file, bad.skipped());
        }
        return StsDataset.of(name, pairs, bad.skipped());
    }

    private static ScoredPair parse(String line) throws BadLineException {
        String[] columns = Fields.columns(line, 7, LAYOUT);
        return new ScoredPair(
                Fields.sentence(columns[5], "s1 (column 6)"),
                Fields.sentence(columns[6], "s2 (column 7)"),
                Fields.score(columns[4], "score (column 5)"));
    }
}
