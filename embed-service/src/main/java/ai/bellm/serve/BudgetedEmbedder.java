package ai.bellm.serve;

import ai.bellm.embed.Progress;
import ai.bellm.embed.SentenceEmbedder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Embeds texts in forward passes bounded by a count and by a token budget (the sum of the prompted lengths), the two
 * limits text-embedding servers offer; one over-budget text still gets a pass of its own.
 *
 * <p>The passes are cut from the whole request (or micro-batch) sorted by length, not from its input order: each
 * pass then pads its sequences to a similar length, which is most of the difference between embedding a stream of
 * small batches and embedding one large list.
 */
public final class BudgetedEmbedder {

    private final SentenceEmbedder embedder;
    private final int maxTokens;

    public BudgetedEmbedder(SentenceEmbedder embedder, int maxBatchTokens) {
        this.embedder = embedder;
        this.maxTokens = maxBatchTokens;
    }

    /** The model's input for a text; throws {@link ai.bellm.embed.InputTooLongException} when rejecting it. */
    public int[] tokens(String text) {
        return embedder.tokenize(text);
    }

    /** One embedding per token sequence from {@link #tokens(String)}, in input order. */
    public float[][] embed(List<int[]> tokens) {
        int[] order = IntStream.range(0, tokens.size()).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> tokens.get(i).length))
                .mapToInt(Integer::intValue).toArray();
        float[][] result = new float[tokens.size()][];
        int maxCount = embedder.options().batchSize();
        int start = 0;
        while (start < order.length) {
            int end = start;
            int budget = 0;
            while (end < order.length && end - start < maxCount
                    && (end == start || budget + tokens.get(order[end]).length <= maxTokens)) {
                budget += tokens.get(order[end++]).length;
            }
            List<int[]> pass = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                pass.add(tokens.get(order[i]));
            }
            float[][] vectors = embedder.embedTokens(pass, Progress.NONE);
            for (int i = start; i < end; i++) {
                result[order[i]] = vectors[i - start];
            }
            start = end;
        }
        return result;
    }
}
