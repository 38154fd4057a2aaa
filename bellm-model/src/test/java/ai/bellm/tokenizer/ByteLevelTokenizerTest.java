package ai.bellm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.model.TinyModelFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteLevelTokenizerTest {

    @Test
    void theTinyTokenizerHasOneTokenPerUtf8Byte(@TempDir Path dir) throws IOException {
        Path model = TinyModelFactory.writeHfDirectory(dir, 1);
        try (HfTokenizer tokenizer = HfTokenizer.fromFile(model.resolve("tokenizer.json"))) {
            String text = "Zoë, 5 €!";
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            int[] expected = new int[utf8.length];
            for (int i = 0; i < utf8.length; i++) {
                expected[i] = utf8[i] & 0xFF;
            }
            assertThat(tokenizer.encode(text)).containsExactly(expected);
            assertThat(tokenizer.decode(expected)).isEqualTo(text);
            assertThat(tokenizer.encode("<|endoftext|>")).containsExactly(256);
        }
    }

    @Test
    void mergesAndThePreTokenizerAreApplied() {
        // vocabulary: the byte alphabet's letters a, b, space (Ġ) and the merged tokens "ab", "Ġab"
        List<String> tokens = List.of("a", "b", "Ġ", "1", "ab", "Ġab", "11");
        List<String> merges = List.of("a b", "Ġ ab", "1 1");
        try (HfTokenizer gpt2 = HfTokenizer.fromJson(
                        ByteLevelBpeJson.of(tokens, merges, List.of(), "gpt2", OptionalInt.empty()));
                HfTokenizer smollm = HfTokenizer.fromJson(
                        ByteLevelBpeJson.of(tokens, merges, List.of(), "smollm", OptionalInt.of(2)))) {
            assertThat(gpt2.encode("ab ab")).containsExactly(4, 5);
            assertThat(gpt2.encode("11")).containsExactly(6);
            // SmolLM splits every digit on its own before BPE, so "11" never merges; a BOS (here id 2) comes first
            assertThat(smollm.encode("11")).containsExactly(2, 3, 3);
            assertThat(smollm.encodeFragment("11")).containsExactly(3, 3);
        }
    }

    @Test
    void unsupportedGgufTokenizersAreRejectedClearly() {
        assertThatThrownBy(() -> ByteLevelBpeJson.fromGgufMetadata(Map.of("tokenizer.ggml.model", "llama")))
                .hasMessageContaining("'llama' is not supported");
        assertThatThrownBy(() -> ByteLevelBpeJson.of(List.of("a"), List.of(), List.of(), "deepseek-llm",
                OptionalInt.empty()))
                .hasMessageContaining("pre-tokenizer 'deepseek-llm' is not supported");
        assertThatThrownBy(() -> ByteLevelBpeJson.fromGgufMetadata(Map.of("tokenizer.ggml.model", "gpt2")))
                .hasMessageContaining("no tokenizer.ggml.tokens");
    }
}
