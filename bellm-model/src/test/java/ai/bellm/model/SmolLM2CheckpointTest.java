package ai.bellm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.bellm.testing.RealModels;
import ai.bellm.weights.GgmlType;
import ai.bellm.weights.GgufFile;
import ai.bellm.weights.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Opens the real SmolLM2-135M GGUF (skipped when it is not installed). */
class SmolLM2CheckpointTest {

    @Test
    void readsConfigAndEveryTensorOfSmolLM2() throws Exception {
        Path file = RealModels.smollm2Gguf().orElse(null);
        Assumptions.assumeTrue(file != null, RealModels.smollm2Missing());

        try (LlamaCheckpoint checkpoint = LlamaCheckpoint.open(file)) {
            LlamaConfig c = checkpoint.config();
            assertThat(c.numLayers()).isEqualTo(30);
            assertThat(c.hiddenSize()).isEqualTo(576);
            assertThat(c.numHeads()).isEqualTo(9);
            assertThat(c.numKvHeads()).isEqualTo(3);
            assertThat(c.headDim()).isEqualTo(64);
            assertThat(c.intermediateSize()).isEqualTo(1536);
            assertThat(c.vocabSize()).isEqualTo(49152);
            assertThat(c.tieWordEmbeddings()).isTrue();
            assertThat(c.ropeTheta()).isEqualTo(100000f);
            assertThat(checkpoint.hasTensor(LlamaCheckpoint.LM_HEAD)).isFalse();
            assertThat(checkpoint.tensorNames()).hasSize(2 + 30 * 9);

            GgufFile gguf = checkpoint.gguf().orElseThrow();
            assertThat(gguf.stringList("tokenizer.ggml.tokens")).hasSize(49152).startsWith("<|endoftext|>");
            Set<GgmlType> types = gguf.tensors().stream().map(GgufFile.TensorInfo::type)
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(GgmlType.class)));
            assertThat(types).containsExactlyInAnyOrder(GgmlType.F32, GgmlType.Q4_1, GgmlType.Q8_0);

            // first values as dequantized by an independent Python reading of the same file
            assertThat(firstValues(checkpoint, LlamaCheckpoint.EMBED)) // Q8_0
                    .containsExactly(new float[] {-0.10654449f, 0.03297806f, 0.0481987f, -0.02283096f}, within(1e-6f));
            assertThat(firstValues(checkpoint, "model.layers.0.self_attn.q_proj.weight")) // Q4_1, row 0 not permuted
                    .containsExactly(new float[] {-0.09631348f, 0.15734863f, -0.09631348f, -0.73046875f}, within(1e-6f));
            assertThat(firstValues(checkpoint, LlamaCheckpoint.NORM)) // F32
                    .containsExactly(1.7578125f, 1.8203125f, 1.78125f, 1.6015625f);

            for (String name : checkpoint.tensorNames()) {
                assertSane(checkpoint.tensor(name));
            }
        }
    }

    private static float[] firstValues(LlamaCheckpoint checkpoint, String name) throws Exception {
        return Arrays.copyOf(checkpoint.tensor(name).data(), 4);
    }

    private static void assertSane(Tensor tensor) {
        double sum = 0;
        double sumSquares = 0;
        for (float v : tensor.data()) {
            assertThat(Float.isFinite(v)).as("finite values in %s", tensor).isTrue();
            sum += v;
            sumSquares += (double) v * v;
        }
        int n = tensor.data().length;
        double mean = sum / n;
        double std = Math.sqrt(sumSquares / n - mean * mean);
        double rms = Math.sqrt(sumSquares / n);
        assertThat(rms).as("rms of %s", tensor).isBetween(1e-3, 5.0);
        if (tensor.shape().length == 2) { // projections and embeddings: centred and not constant
            assertThat(Math.abs(mean)).as("mean of %s", tensor).isLessThan(0.05);
            assertThat(std).as("std of %s", tensor).isBetween(1e-3, 1.0);
        }
    }
}
