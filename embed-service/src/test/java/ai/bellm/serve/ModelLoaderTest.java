package ai.bellm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.metrics.Vectors;
import ai.bellm.model.Precision;
import ai.bellm.model.TinyModelFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoaderTest {

    @Test
    void theServicesPrecisionOverridesTheModelsOwn(@TempDir Path tmp) throws IOException {
        Path tiny = TinyModelFactory.writeHfDirectory(tmp.resolve("tiny"), 1);
        LoadedModel own = new ModelLoader(null, null, PipelineFixture.LIMITS).loadLocal(tiny, "tiny");
        LoadedModel bf16 = new ModelLoader(null, null, PipelineFixture.LIMITS, Optional.of(Precision.BF16))
                .loadLocal(tiny, "tiny");
        try {
            assertThat(own.precision()).as("a base model's own").isEqualTo(Precision.F32);
            assertThat(bf16.precision()).isEqualTo(Precision.BF16);
            List<String> text = List.of("a served text");
            assertThat(Vectors.cosine(own.embedder().embed(text)[0], bf16.embedder().embed(text)[0]))
                    .isGreaterThan(0.999);
        } finally {
            own.retire();
            bf16.retire();
        }
    }
}
