package ai.bellm.data;

import static ai.bellm.data.BadLinePolicy.FAIL;
import static ai.bellm.data.BadLinePolicy.SKIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentEvalReaderTest {

    @TempDir
    Path dir;

    private void subset(String name, String inputs, String golds) throws IOException {
        Files.writeString(dir.resolve("STS.input." + name + ".txt"), inputs);
        Files.writeString(dir.resolve("STS.gs." + name + ".txt"), golds);
    }

    @Test
    void keepsSubsetsInNameOrderAndSkipsUnscoredPairs() throws IOException {
        subset("news", "Rain falls in Oslo.\tIt rains in Oslo.\nA ship sank.\tA boat went down.\n", "4.6\n3.8\n");
        subset("forum", "I like tea.\tTea is nice.\nNo gold here.\tNone at all.\nCars are fast.\tBikes are slow.\n",
                "3.0\n\n0.4\n");
        Files.writeString(dir.resolve("LICENSE.txt"), "not a data file\n");

        StsDataset data = SentEvalReader.read(dir, "STS99", FAIL);

        assertThat(data.subsets().keySet()).containsExactly("forum", "news");
        assertThat(data.subsets().get("forum")).containsExactly(
                new ScoredPair("I like tea.", "Tea is nice.", 3.0),
                new ScoredPair("Cars are fast.", "Bikes are slow.", 0.4));
        assertThat(data.scores()).containsExactly(3.0, 0.4, 4.6, 3.8);
        assertThat(data.skippedLines()).isEqualTo(1);
    }

    @Test
    void lineCountsMustMatch() throws IOException {
        subset("news", "Rain falls.\tIt rains.\nA ship sank.\tA boat went down.\n", "4.6\n");

        assertThatThrownBy(() -> SentEvalReader.read(dir, "STS99", SKIP))
                .isInstanceOf(DatasetException.class)
                .hasMessage(dir.resolve("STS.gs.news.txt") + ": 1 gold lines but 2 input lines in STS.input.news.txt");
    }

    @Test
    void badLinesNameTheFileAtFault() throws IOException {
        subset("news", "Rain falls.\tIt rains.\nOnly one sentence\nA ship sank.\tA boat went down.\n", "4.6\n2.0\nabc\n");

        assertThatThrownBy(() -> SentEvalReader.read(dir, "STS99", FAIL))
                .hasMessage(dir.resolve("STS.input.news.txt") + ":2: expected 2 tab-separated sentences, found 1 columns");

        StsDataset lenient = SentEvalReader.read(dir, "STS99", SKIP);
        assertThat(lenient.size()).isEqualTo(1);
        assertThat(lenient.skippedLines()).isEqualTo(2);

        subset("news", "Rain falls.\tIt rains.\nA ship sank.\tA boat went down.\n", "4.6\nNaN\n");
        assertThatThrownBy(() -> SentEvalReader.read(dir, "STS99", FAIL))
                .hasMessage(dir.resolve("STS.gs.news.txt") + ":2: gold score is NaN");
    }

    @Test
    void missingPiecesHaveDistinctMessages() throws IOException {
        Path missing = dir.resolve("STS12");
        assertThatThrownBy(() -> SentEvalReader.read(missing, "STS12", FAIL))
                .hasMessage(missing + ": SentEval STS directory not found");

        assertThatThrownBy(() -> SentEvalReader.read(dir, "STS12", FAIL))
                .hasMessage(dir + ": no STS.input.<subset>.txt files in SentEval STS directory");

        Files.writeString(dir.resolve("STS.input.news.txt"), "Rain falls.\tIt rains.\n");
        assertThatThrownBy(() -> SentEvalReader.read(dir, "STS12", FAIL))
                .hasMessage(dir.resolve("STS.gs.news.txt") + ": gold score file not found (needed for STS.input.news.txt)");

        Files.writeString(dir.resolve("STS.gs.news.txt"), "\n");
        assertThatThrownBy(() -> SentEvalReader.read(dir, "STS12", FAIL))
                .hasMessage(dir.resolve("STS.input.news.txt") + ": no scored pairs (1 lines skipped)");
    }
}
