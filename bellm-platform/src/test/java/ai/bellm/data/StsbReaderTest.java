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

class StsbReaderTest {

    @TempDir
    Path dir;

    private Path write(String... lines) throws IOException {
        return Files.write(dir.resolve("sts.csv"), String.join("\n", lines).concat("\n").getBytes());
    }

    @Test
    void readsPairsIgnoringExtraColumnsAndKeepingQuotes() throws IOException {
        Path file = write(
                "main-captions\tMSRvid\t2012test\t0001\t4.500\tA cat sleeps on a red sofa.\tA cat is asleep on a sofa.",
                "main-news\theadlines\t2015\t0002\t0.8\tThe \"blue\" bridge reopens.\tPrices of tea rise.\tsrc-a\tsrc-b",
                "",
                "main-forums\tanswers\t2015\t0003\t2\tShe said \"hello.\tHe waved back.");

        StsDataset data = StsbReader.read(file, "toy", FAIL);

        assertThat(data.name()).isEqualTo("toy");
        assertThat(data.pairs()).containsExactly(
                new ScoredPair("A cat sleeps on a red sofa.", "A cat is asleep on a sofa.", 4.5),
                new ScoredPair("The \"blue\" bridge reopens.", "Prices of tea rise.", 0.8),
                new ScoredPair("She said \"hello.", "He waved back.", 2.0));
        assertThat(data.skippedLines()).isZero();
        assertThat(data.subsets()).isEmpty();
        assertThat(data.scores()).containsExactly(4.5, 0.8, 2.0);
    }

    @Test
    void missingColumnNamesFileAndLine() throws IOException {
        Path file = write(
                "g\tf\t2012\t1\t3.0\tOne sentence.\tAnother one.",
                "g\tf\t2012\t2\t3.0\tOnly the first sentence.");

        assertThatThrownBy(() -> StsbReader.read(file, "toy", FAIL))
                .isInstanceOf(DatasetException.class)
                .hasMessage(file + ":2: expected 7 tab-separated columns (genre, file, year, id, score, s1, s2), found 6")
                .satisfies(e -> assertThat(((DatasetException) e).line()).isEqualTo(2));
    }

    @Test
    void scoreNotANumberOrNaNIsReported() throws IOException {
        Path notNumber = write("g\tf\t2012\t1\tfour\tOne sentence.\tAnother one.");
        assertThatThrownBy(() -> StsbReader.read(notNumber, "toy", FAIL))
                .hasMessage(notNumber + ":1: score (column 5) is not a number: 'four'");

        Path nan = write("g\tf\t2012\t1\t3\tOne.\tTwo.", "g\tf\t2012\t1\tNaN\tOne sentence.\tAnother one.");
        assertThatThrownBy(() -> StsbReader.read(nan, "toy", FAIL))
                .hasMessage(nan + ":2: score (column 5) is NaN");
    }

    @Test
    void emptySentenceIsReported() throws IOException {
        Path file = write("g\tf\t2012\t1\t3.0\t \tAnother one.");
        assertThatThrownBy(() -> StsbReader.read(file, "toy", FAIL))
                .hasMessage(file + ":1: s1 (column 6) is empty");
    }

    @Test
    void skipPolicyCountsBadLines() throws IOException {
        Path file = write(
                "g\tf\t2012\t1\t3.0\tOne sentence.\tAnother one.",
                "g\tf\t2012\t2\tx\tOne sentence.\tAnother one.",
                "garbage",
                "g\tf\t2012\t3\t1.25\tA third one.\tA fourth one.");

        StsDataset data = StsbReader.read(file, "toy", SKIP);

        assertThat(data.size()).isEqualTo(2);
        assertThat(data.skippedLines()).isEqualTo(2);
    }

    @Test
    void missingFileAndEmptyDataSetHaveDistinctMessages() throws IOException {
        Path missing = dir.resolve("nope.csv");
        assertThatThrownBy(() -> StsbReader.read(missing, "toy", FAIL))
                .isInstanceOf(DatasetException.class)
                .hasMessage(missing + ": STS-B file not found");

        Path empty = write("");
        assertThatThrownBy(() -> StsbReader.read(empty, "toy", FAIL))
                .hasMessage(empty + ": no scored pairs");

        Path allBad = write("bad line", "another bad line");
        assertThatThrownBy(() -> StsbReader.read(allBad, "toy", SKIP))
                .hasMessage(allBad + ": no scored pairs (2 lines skipped)");

        assertThatThrownBy(() -> StsbReader.read(dir, "toy", FAIL))
                .hasMessage(dir + ": STS-B file is a directory, expected a file");
    }
}
