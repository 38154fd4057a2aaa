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

class SickReaderTest {

    @TempDir
    Path dir;

    private Path write(String... lines) throws IOException {
        return Files.write(dir.resolve("SICK.txt"), String.join("\n", lines).concat("\n").getBytes());
    }

    @Test
    void readsRelatednessByHeaderName() throws IOException {
        Path file = write(
                "pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment",
                "1\tA dog runs in the snow\tA dog is running through snow\t4.7\tENTAILMENT",
                "2\tA boy plays a flute\tNobody is cooking pasta\t1.2\tNEUTRAL");

        StsDataset data = SickReader.read(file, "sick-trial", FAIL);

        assertThat(data.pairs()).containsExactly(
                new ScoredPair("A dog runs in the snow", "A dog is running through snow", 4.7),
                new ScoredPair("A boy plays a flute", "Nobody is cooking pasta", 1.2));
    }

    @Test
    void columnOrderComesFromTheHeader() throws IOException {
        Path file = write(
                "relatedness_score\tsentence_B\tpair_ID\tsentence_A",
                "3.5\tTwo birds sit on a wire\t7\tBirds are perched on a cable");

        assertThat(SickReader.read(file, "sick", FAIL).pairs())
                .containsExactly(new ScoredPair("Birds are perched on a cable", "Two birds sit on a wire", 3.5));
    }

    @Test
    void missingHeaderColumnIsReported() throws IOException {
        Path file = write("pair_ID\tsentence_A\tsentence_B\tentailment_judgment", "1\ta\tb\tNEUTRAL");

        assertThatThrownBy(() -> SickReader.read(file, "sick", FAIL))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(file + ":1: header has no column 'relatedness_score'");
    }

    @Test
    void badRowNamesItsLineCountingTheHeader() throws IOException {
        Path file = write(
                "pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment",
                "1\tA man sings\tA man is singing\t4.9\tENTAILMENT",
                "2\tA woman reads\tA woman is reading\thigh\tENTAILMENT",
                "3\tA child swims");

        assertThatThrownBy(() -> SickReader.read(file, "sick", FAIL))
                .hasMessage(file + ":3: relatedness_score is not a number: 'high'");

        StsDataset lenient = SickReader.read(file, "sick", SKIP);
        assertThat(lenient.size()).isEqualTo(1);
        assertThat(lenient.skippedLines()).isEqualTo(2);
    }

    @Test
    void headerOnlyIsAnEmptyDataSet() throws IOException {
        Path file = write("pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment");

        assertThatThrownBy(() -> SickReader.read(file, "sick", FAIL)).hasMessage(file + ": no scored pairs");
    }
}
