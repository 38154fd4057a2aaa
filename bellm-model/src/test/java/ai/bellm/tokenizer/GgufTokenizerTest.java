package ai.bellm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.bellm.testing.RealModels;
import ai.bellm.weights.GgufFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tokenizer rebuilt from a real model's GGUF metadata yields llama.cpp's ids: SmolLM2's (pre-tokenizer
 * {@code smollm}) and Qwen2.5's ({@code qwen2}, no BOS). The reference ids in {@code tokenizer/*-llamacpp-ids.json}
 * were written by {@code bench/python/llamacpp_token_ids.py}: llama.cpp (llama-cpp-python built from PyPI's sdist)
 * tokenizing each text from the same GGUF file without BOS and without special-token parsing. llama.cpp is the
 * reference implementation for GGUF tokenizers.
 */
class GgufTokenizerTest {

    enum Model {
        SMOLLM2("/tokenizer/smollm2-llamacpp-ids.json", RealModels::smollm2Gguf, RealModels::smollm2Missing),
        QWEN2("/tokenizer/qwen2-llamacpp-ids.json", RealModels::qwen2Gguf, RealModels::qwen2Missing);

        final String reference;
        final Supplier<Optional<Path>> gguf;
        final Supplier<String> missing;

        Model(String reference, Supplier<Optional<Path>> gguf, Supplier<String> missing) {
            this.reference = reference;
            this.gguf = gguf;
            this.missing = missing;
        }
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void idsMatchLlamaCppOnSpacesPunctuationDigitsAccentsEmojiAndCjk(Model model) throws IOException {
        assumeTrue(model.gguf.get().isPresent(), model.missing.get());
        JsonNode reference;
        try (InputStream in = getClass().getResourceAsStream(model.reference)) {
            reference = new ObjectMapper().readTree(in);
        }
        try (GgufFile gguf = GgufFile.open(model.gguf.get().get());
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
