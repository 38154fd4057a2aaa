package ai.bellm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.bellm.testing.RealModels;
import ai.bellm.weights.GgufFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer rebuilt from SmolLM2's GGUF metadata yields llama.cpp's ids. The reference ids in
 * {@code tokenizer/smollm2-llamacpp-ids.json} were written by {@code bench/python/llamacpp_token_ids.py}: llama.cpp
 * (llama-cpp-python built from PyPI's sdist) tokenizing each text from the same GGUF file without BOS and without
 * special-token parsing. llama.cpp is the reference implementation for GGUF tokenizers.
 */
class SmolLM2TokenizerTest {

    @Test
    void idsMatchLlamaCppOnSpacesPunctuationDigitsAccentsAndEmoji() throws IOException {
        assumeTrue(RealModels.smollm2Gguf().isPresent(), RealModels.smollm2Missing());
        JsonNode reference;
        try (InputStream in = getClass().getResourceAsStream("/tokenizer/smollm2-llamacpp-ids.json")) {
            reference = new ObjectMapper().readTree(in);
        }
        try (GgufFile gguf = GgufFile.open(RealModels.smollm2Gguf().get());
                HfTokenizer tokenizer = HfTokenizer.fromJson(ByteLevelBpeJson.fromGgufMetadata(gguf.metadata()))) {
            List<String> checked = new ArrayList<>();
            for (JsonNode testCase : reference.get("cases")) {
                String text = testCase.get("text").asText();
                int[] expected = StreamSupport.stream(testCase.get("ids").spliterator(), false)
                        .mapToInt(JsonNode::asInt).toArray();
                assertThat(tokenizer.encode(text)).as(text).containsExactly(expected);
                assertThat(tokenizer.decode(expected)).as("decode of " + text).isEqualTo(text);
                checked.add(text);
            }
            assertThat(checked).hasSize(10);
        }
    }
}
