package ai.bellm.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads one SentEval STS year (STS12–STS16): a directory holding, per subset, {@code STS.input.<subset>.txt}
 * (two tab-separated sentences per line) and {@code STS.gs.<subset>.txt} (the gold score of the same line).
 *
 * <p>As in SentEval, a pair whose gold line is empty has no score and is skipped (counted, not an error). Both
 * files of a subset must have the same number of lines, otherwise the pairs cannot be aligned: that is always an
 * error, whatever the {@link BadLinePolicy}. Subsets are kept separately, ordered by name.
 */
public final class SentEvalReader {

    private static final Pattern INPUT = Pattern.compile("STS\\.input\\.(.+)\\.txt");

    private SentEvalReader() {
    }

    public static StsDataset read(Path dir, String name, BadLinePolicy policy) {
        TextFiles.requireDirectory(dir, "SentEval STS directory");
        Map<String, List<ScoredPair>> subsets = new LinkedHashMap<>();
        int skipped = 0;
        for (Map.Entry<String, Path> subset : inputFiles(dir).entrySet()) {
            Path gold = dir.resolve("STS.gs." + subset.getKey() + ".txt");
            Subset read = readSubset(subset.getValue(), gold, policy);
            subsets.put(subset.getKey(), read.pairs());
            skipped += read.skipped();
        }
        return StsDataset.ofSubsets(name, subsets, skipped);
    }

    private record Subset(List<ScoredPair> pairs, int skipped) {
    }

    private static Map<String, Path> inputFiles(Path dir) {
        Map<String, Path> inputs = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(file -> {
                Matcher m = INPUT.matcher(file.getFileName().toString());
                if (m.matches()) {
                    inputs.put(m.group(1), file);
                }
            });
        } catch (IOException e) {
            throw new DatasetException(dir, "cannot list SentEval STS directory: " + e, e);
        }
        if (inputs.isEmpty()) {
            throw new DatasetException(dir, "no STS.input.<subset>.txt files in SentEval STS directory");
        }
        return inputs;
    }

    private static Subset readSubset(Path inputFile, Path goldFile, BadLinePolicy policy) {
        if (!Files.isRegularFile(goldFile)) {
            throw new DatasetException(goldFile, "gold score file not found (needed for " + inputFile.getFileName() + ")");
        }
        List<String> inputs = TextFiles.readLines(inputFile, "SentEval input file");
        List<String> golds = TextFiles.readLines(goldFile, "SentEval gold score file");
        if (inputs.size() != golds.size()) {
            throw new DatasetException(goldFile, golds.size() + " gold lines but " + inputs.size()
                    + " input lines in " + inputFile.getFileName());
        }
        BadLines badInputs = new BadLines(inputFile, policy);
        BadLines badGolds = new BadLines(goldFile, policy);
        int unscored = 0;
        List<ScoredPair> pairs = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (golds.get(i).isBlank()) {
                unscored++;
                continue;
            }
            String[] sentences;
            double score;
            try {
                sentences = sentences(inputs.get(i));
            } catch (BadLineException e) {
                badInputs.reject(i + 1, e);
                continue;
            }
            try {
                score = Fields.score(golds.get(i), "gold score");
            } catch (BadLineException e) {
                badGolds.reject(i + 1, e);
                continue;
            }
            pairs.add(new ScoredPair(sentences[0], sentences[1], score));
        }
        int skipped = unscored + badInputs.skipped() + badGolds.skipped();
        if (pairs.isEmpty()) {
            throw TextFiles.noPairs(inputFile, skipped);
        }
        return new Subset(pairs, skipped);
    }

    private static String[] sentences(String line) throws BadLineException {
        String[] columns = line.split("\t", -1);
        if (columns.length != 2) {
            throw new BadLineException("expected 2 tab-separated sentences, found " + columns.length + " columns");
        }
        return new String[] {Fields.sentence(columns[0], "sentence 1"), Fields.sentence(columns[1], "sentence 2")};
    }
}
