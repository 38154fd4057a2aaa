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

class JsonlReaderTest {

    @TempDir
    Path dir;

    private Path write(String... lines) throws IOException {
        return Files.write(dir.resolve("data.jsonl"), String.join("\n", lines).concat("\n").getBytes());
    }

    @Test
    void readsScoredPairsIgnoringUnknownFields() throws IOException {
        Path file = write(
                "{\"s1\": \"The kettle is boiling.\", \"s2\": \"Water boils in the kettle.\", \"score\": 4.25, \"id\": 7}",
                "",
                "{\"s1\": \"Snow in July.\", \"s2\": \"A quiet library.\", \"score\": 0}");

        StsDataset data = JsonlReader.readScored(file, "custom", FAIL);

        assertThat(data.pairs()).containsExactly(
                new ScoredPair("The kettle is boiling.", "Water boils in the kettle.", 4.25),
                new ScoredPair("Snow in July.", "A quiet library.", 0.0));
    }

    @Test
    void malformedLinesSayWhatIsWrong() throws IOException {
        assertLineProblem("{\"s1\": \"a\", \"score\": 1}", "missing field \"s2\"");
        assertLineProblem("{\"s1\": \"a\", \"s2\": \"b\", \"score\": \"4.0\"}", "field \"score\" is not a number: \"4.0\"");
        assertLineProblem("{\"s1\": \"a\", \"s2\": \"b\", \"score\": NaN}", "field \"score\" is NaN");
        assertLineProblem("{\"s1\": \"a\", \"s2\": 3, \"score\": 1}", "field \"s2\" is not a string: 3");
        assertLineProblem("[1, 2]", "expected a JSON object, found ARRAY");
        assertThatThrownBy(() -> JsonlReader.readScored(write("{\"s1\": \"a\""), "x", FAIL))
                .hasMessageContaining("data.jsonl:1: not valid JSON");
    }

    private void assertLineProblem(String line, String problem) throws IOException {
        Path file = write("{\"s1\": \"ok\", \"s2\": \"fine\", \"score\": 2}", line);
        assertThatThrownBy(() -> JsonlReader.readScored(file, "x", FAIL))
                .isInstanceOf(DatasetException.class)
                .hasMessage(file + ":2: " + problem);
        assertThat(JsonlReader.readScored(file, "x", SKIP).skippedLines()).isEqualTo(1);
    }

    @Test
    void readsPositivePairsAndTriplets() throws IOException {
        Path pairs = write(
                "{\"text\": \"How do I bake bread?\", \"positive\": \"Steps to bake a loaf.\"}",
                "{\"text\": \"Cheap flights\", \"positive\": \"Low-cost air tickets\"}");
        TrainingSet pairSet = JsonlReader.readTraining(pairs, "nli", FAIL);
        assertThat(pairSet.kind()).isEqualTo(TrainingExample.Kind.POSITIVE_PAIR);
        assertThat(pairSet.examples()).containsExactly(
                TrainingExample.positivePair("How do I bake bread?", "Steps to bake a loaf."),
                TrainingExample.positivePair("Cheap flights", "Low-cost air tickets"));

        Path triplets = write("{\"text\": \"A red car\", \"positive\": \"A crimson automobile\", \"negative\": \"A green pear\"}");
        TrainingExample triplet = JsonlReader.readTraining(triplets, "nli", FAIL).examples().get(0);
        assertThat(triplet.kind()).isEqualTo(TrainingExample.Kind.TRIPLET);
        assertThat(triplet.negative()).contains("A green pear");
        assertThat(triplet.score()).isEmpty();

        Path scored = write("{\"s1\": \"Hi there\", \"s2\": \"Hello\", \"score\": 0.9}");
        TrainingExample pair = JsonlReader.readTraining(scored, "sts", FAIL).examples().get(0);
        assertThat(pair.kind()).isEqualTo(TrainingExample.Kind.SCORED_PAIR);
        assertThat(pair.score()).hasValue(0.9);
    }

    @Test
    void trainingFileHoldsOneShape() throws IOException {
        Path file = write(
                "{\"text\": \"A red car\", \"positive\": \"A crimson automobile\"}",
                "{\"text\": \"A cat\", \"positive\": \"A kitten\", \"negative\": \"A tractor\"}");

        assertThatThrownBy(() -> JsonlReader.readTraining(file, "mix", FAIL))
                .hasMessage(file + ":2: a TRIPLET in a file of POSITIVE_PAIR examples (one shape per file)");
    }

    @Test
    void ambiguousTrainingLinesAreRejected() throws IOException {
        Path both = write("{\"s1\": \"a\", \"text\": \"b\", \"positive\": \"c\"}");
        assertThatThrownBy(() -> JsonlReader.readTraining(both, "x", FAIL))
                .hasMessageContaining(":1: expected either \"s1\" (scored pair) or \"text\" (pair or triplet)");

        Path scoredTriplet = write("{\"text\": \"a\", \"positive\": \"b\", \"score\": 1}");
        assertThatThrownBy(() -> JsonlReader.readTraining(scoredTriplet, "x", FAIL))
                .hasMessageContaining(":1: \"score\" belongs to scored pairs");

        Path empty = write("", "  ");
        assertThatThrownBy(() -> JsonlReader.readTraining(empty, "x", FAIL))
                .hasMessage(empty + ": no training examples");
    }
}
