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

/**
 * A Hugging Face {@code tokenizer.json} run by the Rust tokenizers library through DJL (loads offline). Special
 * tokens such as a leading BOS come from the document's own post-processor.
 */
public final class HfTokenizer implements TextTokenizer {

    // padding and truncation are the embedder's business, never the tokenizer's
    private static final Map<String, String> OPTIONS =
            Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false", "modelMaxLength", "1000000");

    private final HuggingFaceTokenizer tokenizer;

    private HfTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Loads an HF {@code tokenizer.json}. */
    public static HfTokenizer fromFile(Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("tokenizer file not found: " + tokenizerJson);
        }
        try {
            return new HfTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, OPTIONS));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** Loads a {@code tokenizer.json} document held in memory (e.g. rebuilt from GGUF metadata). */
    public static HfTokenizer fromJson(String tokenizerJson) {
        try {
            return new HfTokenizer(HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(tokenizerJson.getBytes(StandardCharsets.UTF_8)), OPTIONS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int[] encode(String text) {
        return toInts(tokenizer.encode(text, true, false).getIds());
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
