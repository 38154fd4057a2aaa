package ai.bellm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.embed.SentenceEmbedder;
import ai.bellm.model.TinyModelFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Passes cut from the length-sorted input give each text the embedding it gets alone, in input order. */
class BudgetedEmbedderTest {

    @Test
    void passesBoundedByCountAndTokensKeepInputOrder(@TempDir Path tmp) throws Exception {
        LoadedModel model = new ModelLoader(null, null, PipelineFixture.LIMITS)
                .loadLocal(TinyModelFactory.writeHfDirectory(tmp.resolve("tiny"), 5), "tiny");
        try {
            SentenceEmbedder direct = model.embedder();
            // lengths that go up and down, so sorting changes the order
            List<String> texts = IntStream.range(0, 40)
                    .mapToObj(i -> "text " + i + " " + "word ".repeat((i * 7) % 11)).toList();
            BudgetedEmbedder budgeted = new BudgetedEmbedder(direct, 200);
            List<int[]> tokens = texts.stream().map(budgeted::tokens).toList();
            assertThat(tokens.stream().mapToInt(t -> t.length).sum())
                    .as("the budget forces several passes").isGreaterThan(3 * 200);

            float[][] vectors = budgeted.embed(tokens);

            float[][] alone = direct.embed(texts);
            assertThat(vectors).hasSameDimensionsAs(alone);
            for (int i = 0; i < texts.size(); i++) {
                for (int d = 0; d < alone[i].length; d++) {
                    assertThat(vectors[i][d]).as("text %d, dim %d", i, d)
                            .isCloseTo(alone[i][d], Offset.offset(1e-5f));
                }
            }
        } finally {
            model.retire();
        }
    }
}
