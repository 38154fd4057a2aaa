package ai.bellm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.bellm.embed.EmbeddingModel;
import ai.bellm.testing.RealModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real SmolLM2-135M-Instruct weights (GGUF Q4_1) answer prompts with unambiguous next tokens. */
class SmolLM2GenerationTest {

    private static EmbeddingModel smollm2;

    @BeforeAll
    static void load() {
        assumeTrue(RealModels.smollm2Gguf().isPresent(), RealModels.smollm2Missing());
        smollm2 = EmbeddingModel.load(RealModels.smollm2Gguf().get());
    }

    @AfterAll
    static void release() {
        if (smollm2 != null) {
            smollm2.close();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            "The capital of France is| Paris",
            "The largest planet in our solar system is| Jupiter",
            "The opposite of hot is| cold",
            "January, February, March, April,| May",
            "The chemical symbol for gold is| Au",
    })
    void greedyNextTokenIsTheObviousAnswer(String prompt, String expected) {
        assertThat(GreedyNextToken.after(smollm2, prompt)).isEqualTo(expected);
    }
}
