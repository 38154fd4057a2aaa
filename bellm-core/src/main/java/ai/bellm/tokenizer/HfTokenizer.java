package ai.bellm.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json} run by the Rust tokenizers library through DJL (loads offline).
 *
 * <p>{@code bosToPrepend}: GGUF models say in their metadata whether a BOS token starts every sequence; a
 * {@code tokenizer.json} says so in its own post-processor, in which case nothing is prepended here.
 */
public final class HfTokenizer implements TextTokenizer {

    // padding and truncation are the embedder's business, never the tokenizer's
    private static final Map<String, String> OPTIONS =
            Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false", "modelMaxLength", "1000000");

    private final HuggingFaceTokenizer tokenizer;
    private final boolean useOwnSpecialTokens;
    private final OptionalInt bosToPrepend;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, boolean useOwnSpecialTokens, OptionalInt bosToPrepend) {
        this.tokenizer = tokenizer;
        this.useOwnSpecialTokens = useOwnSpecialTokens;
        this.bosToPrepend = bosToPrepend;
    }

    /** Loads an HF {@code tokenizer.json}; special tokens come from its own post-processor. */
    public static HfTokenizer fromFile(Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("tokenizer file not found: " + tokenizerJson);
        }
        try {
            return new HfTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, OPTIONS), true, OptionalInt.empty());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** Loads a {@code tokenizer.json} document held in memory (e.g. rebuilt from GGUF metadata). */
    public static HfTokenizer fromJson(String tokenizerJson, OptionalInt bosToPrepend) {
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(tokenizerJson.getBytes(StandardCharsets.UTF_8)), OPTIONS);
            return new HfTokenizer(tokenizer, false, bosToPrepend);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int[] encode(String text) {
        int[] ids = toInts(tokenizer.encode(text, useOwnSpecialTokens, false).getIds());
        if (bosToPrepend.isEmpty()) {
            return ids;
        }
        int[] withBos = new int[ids.length + 1];
        withBos[0] = bosToPrepend.getAsInt();
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
    }

    @Override
    public int[] encodeFragment(String text) {
        return toInts(tokenizer.encode(text, false, false).getIds());
    }

    @Override
    public String decode(int[] ids) {
        return tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), false);
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
