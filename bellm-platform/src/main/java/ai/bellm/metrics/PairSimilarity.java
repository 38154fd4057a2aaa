package ai.bellm.metrics;

import ai.bellm.data.ScoredPair;
import ai.bellm.metrics.Vectors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cosine similarity of sentence pairs from the embeddings of their distinct sentences. A sentence often occurs in
 * several pairs, so the caller embeds only {@link #sentences()} (each distinct sentence once, first-seen order).
 */
public final class PairSimilarity {

    private final List<String> sentences;
    private final int[] first;
    private final int[] second;

    public PairSimilarity(List<ScoredPair> pairs) {
        Map<String, Integer> index = new LinkedHashMap<>();
        first = new int[pairs.size()];
        second = new int[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            ScoredPair pair = pairs.get(i);
            first[i] = index.computeIfAbsent(pair.s1(), s -> index.size());
            second[i] = index.computeIfAbsent(pair.s2(), s -> index.size());
        }
        sentences = List.copyOf(index.keySet());
    }

    /** The distinct sentences, to embed. */
    public List<String> sentences() {
        return sentences;
    }

    /** The cosine of each pair, given {@code vectors}, the embeddings of {@link #sentences()} in that order. */
    public double[] cosines(float[][] vectors) {
        if (vectors.length != sentences.size()) {
            throw new IllegalArgumentException(vectors.length + " embeddings for " + sentences.size() + " sentences");
        }
        double[] predicted = new double[first.length];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = Vectors.cosine(vectors[first[i]], vectors[second[i]]);
        }
        return predicted;
    }
}
