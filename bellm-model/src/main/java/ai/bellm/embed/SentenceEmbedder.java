package ai.bellm.embed;

import ai.bellm.metrics.Vectors;
import ai.bellm.model.LlamaModel;
import ai.bellm.model.Pooler;
import ai.bellm.model.PromptPrefixStates;
import ai.bellm.model.TokenBatch;
import ai.bellm.tokenizer.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Sentences to embeddings: prompt, tokenize, batch sentences of similar length together (less padding), forward,
 * pool, and return the vectors in the input order.
 */
public final class SentenceEmbedder {

    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final EmbeddingOptions options;
    private final PromptPrefixCache prefixes; // null: every forward computes the prompt's opening tokens too

    /** An embedder that computes everything in every batch, for a model whose weights may change between them. */
    public SentenceEmbedder(LlamaModel model, TextTokenizer tokenizer, EmbeddingOptions options) {
        this(model, tokenizer, options, null);
    }

    /** An embedder that takes the states of the prompt's opening tokens from {@code prefixes}. */
    SentenceEmbedder(LlamaModel model, TextTokenizer tokenizer, EmbeddingOptions options, PromptPrefixCache prefixes) {
        options.attention().checkFits(model.numLayers());
        this.model = model;
        this.tokenizer = tokenizer;
        this.options = options;
        this.prefixes = prefixes;
    }

    public EmbeddingOptions options() {
        return options;
    }

    public int dimension() {
        return model.config().hiddenSize();
    }

    /** One embedding per text, in input order. */
    public float[][] embed(List<String> texts) {
        return embed(texts, Progress.NONE);
    }

    public float[][] embed(List<String> texts, Progress progress) {
        return embedTokens(texts.stream().map(this::tokenize).toList(), progress);
    }

    /**
     * One embedding per token sequence from {@link #tokenize}, in input order: for callers that tokenized already
     * (to count tokens or reject over-long input) and should not pay for it twice.
     */
    public float[][] embedTokens(List<int[]> tokens, Progress progress) {
        int n = model.numLayers();
        return embedEachLayerOfTokens(tokens, n, n, progress)[0];
    }

    /**
     * Embeddings of the model truncated to n layers, for every n in {@code firstN..lastN}, from one forward pass per
     * batch: {@code result[n - firstN][text]}.
     */
    public float[][][] embedEachLayer(List<String> texts, int firstN, int lastN, Progress progress) {
        return embedEachLayerOfTokens(texts.stream().map(this::tokenize).toList(), firstN, lastN, progress);
    }

    private float[][][] embedEachLayerOfTokens(List<int[]> tokens, int firstN, int lastN, Progress progress) {
        float[][][] result = new float[lastN - firstN + 1][tokens.size()][];
        int[] order = lengthOrder(tokens);
        NDManager base = model.manager();
        PromptPrefixStates prefix = prefixes == null || options.attention().isBidirectional(0) ? null
                : prefixes.of(options.prompt()).orElse(null);
        for (int start = 0; start < order.length; start += options.batchSize()) {
            int[] rows = Arrays.copyOfRange(order, start, Math.min(order.length, start + options.batchSize()));
            List<int[]> sequences = new ArrayList<>(rows.length);
            for (int row : rows) {
                sequences.add(tokens.get(row));
            }
            TokenBatch batch = new TokenBatch(sequences);
            try (NDManager scope = base.newSubManager()) {
                List<NDArray> perLayer = model.forwardEachLayer(scope, batch, options.attention(), firstN, lastN,
                        prefix);
                for (int k = 0; k < perLayer.size(); k++) {
                    float[] pooled = Pooler.pool(options.pooling(), perLayer.get(k), batch).toFloatArray();
                    scatter(pooled, rows, result[k]);
                }
            }
            progress.update(Math.min(order.length, start + options.batchSize()), order.length);
        }
        return result;
    }

    /** The model's input for {@code text}: the prompted token ids, truncated (or rejected) to the token limit. */
    public int[] tokenize(String text) {
        int[] ids = tokenizer.encode(options.prompt().apply(text));
        if (ids.length <= options.maxTokens()) {
            return ids;
        }
        if (options.rejectOverlong()) {
            throw new InputTooLongException(ids.length, options.maxTokens());
        }
        // Cut the text, never the prompt: the last token must stay the prompt's end.
        int[] textIds = tokenizer.encodeFragment(text);
        int keep = textIds.length - (ids.length - options.maxTokens());
        while (keep > 0) {
            String cut = tokenizer.decode(Arrays.copyOf(textIds, keep));
            ids = tokenizer.encode(options.prompt().apply(cut));
            if (ids.length <= options.maxTokens()) {
                return ids;
            }
            keep -= ids.length - options.maxTokens();
        }
        throw new InputTooLongException(tokenizer.encode(options.prompt().apply("")).length, options.maxTokens());
    }

    private void scatter(float[] pooled, int[] rows, float[][] into) {
        int dim = pooled.length / rows.length;
        for (int i = 0; i < rows.length; i++) {
            float[] vector = Arrays.copyOfRange(pooled, i * dim, (i + 1) * dim);
            into[rows[i]] = options.normalize() ? Vectors.normalized(vector) : vector;
        }
    }

    /** Indices of the sequences, longest first (stable), so each batch holds sequences of similar length. */
    private static int[] lengthOrder(List<int[]> tokens) {
        return java.util.stream.IntStream.range(0, tokens.size()).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> tokens.get(i).length).reversed())
                .mapToInt(Integer::intValue).toArray();
    }
}
