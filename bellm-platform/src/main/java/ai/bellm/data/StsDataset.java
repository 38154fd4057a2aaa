package ai.bellm.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scored sentence pairs of one evaluation data set.
 *
 * @param skippedLines lines read but not turned into pairs: malformed lines under {@link BadLinePolicy#SKIP}
 *                     and, for SentEval, pairs without a gold score
 * @param subsets      SentEval only: the pairs of each subset (e.g. {@code MSRpar}), in file-name order;
 *                     {@code pairs} is then their concatenation in that order. Empty for other formats.
 */
public record StsDataset(String name, List<ScoredPair> pairs, int skippedLines, Map<String, List<ScoredPair>> subsets) {

    public StsDataset {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("data set '" + name + "' has no pairs");
        }
        if (skippedLines < 0) {
            throw new IllegalArgumentException("skippedLines must be >= 0, got " + skippedLines);
        }
        pairs = List.copyOf(pairs);
        Map<String, List<ScoredPair>> copy = new LinkedHashMap<>();
        subsets.forEach((subset, subsetPairs) -> copy.put(subset, List.copyOf(subsetPairs)));
        subsets = Collections.unmodifiableMap(copy);
    }

    /** A data set without subsets. */
    public static StsDataset of(String name, List<ScoredPair> pairs, int skippedLines) {
        return new StsDataset(name, pairs, skippedLines, Map.of());
    }

    /** A data set made of subsets (SentEval); the pairs are their concatenation in the map's iteration order. */
    public static StsDataset ofSubsets(String name, Map<String, List<ScoredPair>> subsets, int skippedLines) {
        List<ScoredPair> all = new ArrayList<>();
        subsets.values().forEach(all::addAll);
        return new StsDataset(name, all, skippedLines, subsets);
    }

    public int size() {
        return pairs.size();
    }

    /** Gold scores in pair order. */
    public double[] scores() {
        return pairs.stream().mapToDouble(ScoredPair::score).toArray();
    }
}
