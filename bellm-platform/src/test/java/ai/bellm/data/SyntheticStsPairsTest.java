package ai.bellm.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticStsPairsTest {

    @Test
    void theTinySetsAreReadableScoredPairsOverTheWholeScoreRange(@TempDir Path dir) throws IOException {
        StsDataset train = JsonlReader.readScored(SyntheticStsPairs.writeTrainSet(dir.resolve("a/train.jsonl")), "train",
                BadLinePolicy.FAIL);
        StsDataset dev = JsonlReader.readScored(SyntheticStsPairs.writeDevSet(dir.resolve("dev.jsonl")), "dev",
                BadLinePolicy.FAIL);

        assertThat(train.size()).isEqualTo(SyntheticStsPairs.TRAIN_PAIRS);
        assertThat(dev.size()).isEqualTo(SyntheticStsPairs.DEV_PAIRS);
        assertThat(train.scores()).contains(0.0, 5.0);
        assertThat(dev.pairs()).doesNotContainAnyElementsOf(train.pairs().subList(0, 4));
        assertThat(SyntheticStsPairs.jsonl(5, 3)).isEqualTo(SyntheticStsPairs.jsonl(5, 3));
    }
}
