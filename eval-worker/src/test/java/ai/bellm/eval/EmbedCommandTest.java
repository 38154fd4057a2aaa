package ai.bellm.eval;

import static ai.bellm.eval.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.bellm.embed.EmbeddingModel;
import ai.bellm.embed.Vectors;
import ai.bellm.eval.CliFixtures.Run;
import ai.bellm.model.LayerAttention;
import ai.bellm.model.Pooling;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embed} takes its options from the mixins it shares with evaluate and sweep. */
class EmbedCommandTest {

    @TempDir
    Path dir;

    @Test
    void cosineUsesTheSharedOptions() throws IOException {
        Path model = CliFixtures.tinyModel(dir.resolve("tiny"));
        List<String> texts = List.of("A man plays a guitar.", "Someone plays music.");

        Run r = run("embed", "--model", model.toString(), "--pooling", "mean", "--bidirectional-from", "1",
                "--cosine", texts.get(0), texts.get(1));

        assertThat(r.exit()).as(r.err()).isZero();
        try (EmbeddingModel loaded = EmbeddingModel.load(model)) {
            float[][] v = loaded.embedder(loaded.defaults().withPooling(Pooling.MEAN)
                    .withAttention(LayerAttention.bidirectionalFrom(1))).embed(texts);
            assertThat(Double.parseDouble(r.out().strip())).isCloseTo(Vectors.cosine(v[0], v[1]), within(1e-6));
        }
    }
}
