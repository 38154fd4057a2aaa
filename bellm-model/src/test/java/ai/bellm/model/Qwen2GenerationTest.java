package ai.bellm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.bellm.embed.EmbeddingModel;
import ai.bellm.testing.RealModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real Qwen2.5-Coder-0.5B weights (GGUF Q4_K_M): its config, its tokenizer, unambiguous next tokens. */
class Qwen2GenerationTest {

    private static EmbeddingModel qwen2;

    @BeforeAll
    static void load() {
        assumeTrue(RealModels.qwen2Gguf().isPresent(), RealModels.qwen2Missing());
        qwen2 = EmbeddingModel.load(RealModels.qwen2Gguf().get());
    }

    @AfterAll
    static void release() {
        if (qwen2 != null) {
            qwen2.close();
        }
    }

    @Test
    void theConfigIsQwen2s() {
        LlamaConfig config = qwen2.model().config();
        assertThat(config.architecture()).isEqualTo(Architecture.QWEN2);
        assertThat(config.numLayers()).isEqualTo(24);
        assertThat(config.hiddenSize()).isEqualTo(896);
        assertThat(config.numHeads()).isEqualTo(14);
        assertThat(config.numKvHeads()).isEqualTo(2);
        assertThat(config.ropeTheta()).isEqualTo(1_000_000f);
        assertThat(config.vocabSize()).isEqualTo(151_936);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            "The capital of France is| Paris",
            "def add(a, b):\\n    return a +| b",
            "January, February, March, April,| May",
            "import numpy as| np",
    })
    void greedyNextTokenIsTheObviousAnswer(String prompt, String expected) {
        assertThat(GreedyNextToken.after(qwen2, prompt.replace("\\n", "\n"))).isEqualTo(expected);
    }
}
