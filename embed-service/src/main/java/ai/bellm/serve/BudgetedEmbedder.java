package ai.bellm.serve;

import ai.bellm.embed.SentenceEmbedder;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeds texts in forward passes bounded by a count and by a token budget (the sum of the prompted lengths), the two
 * limits text-embedding servers offer; one over-budget text still gets a pass of its own.
 */
public final class BudgetedEmbedder {

    private final SentenceEmbedder embedder;
    private final int maxTokens;

    public BudgetedEmbedder(SentenceEmbedder embedder, int maxBatchTokens) {
        this.embedder = embedder;
        this.maxTokens = maxBatchTokens;
    }

    /** Prompted token count of each text; throws {@link ai.bellm.embed.InputTooLongException} when rejecting. */
    public int tokens(String text) {
        return embedder.tokenize(text).length;
    }

    /** One embedding per text, in order; {@code tokens[i]} is {@link #tokens(String)} of text i. */
    public float[][] embed(List<String> texts, int[] tokens) {
        float[][] result = new float[texts.size()][];
        int maxCount = embedder.options().batchSize();
        int start = 0;
        while (start < texts.size()) {
            int end = start;
            int budget = 0;
            while (end < texts.size() && end - start < maxCount
                    && (end == start || budget + tokens[end] <= maxTokens)) {
                budget += tokens[end++];
            }
            float[][] chunk = embedder.embed(new ArrayList<>(texts.subList(start, end)));
            System.arraycopy(chunk, 0, result, start, chunk.length);
            start = end;
        }
        return result;
    }
}
