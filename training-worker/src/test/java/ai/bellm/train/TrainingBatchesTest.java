package ai.bellm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.data.TrainingExample;
import ai.bellm.train.TrainingBatches.Batch;
import ai.bellm.train.TrainingBatches.Cursor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrainingBatchesTest {

    private static final List<TrainingExample> DISTINCT = IntStream.range(0, 10)
            .mapToObj(i -> TrainingExample.positivePair("text " + i, "partner " + i)).toList();

    private static List<Batch> take(TrainingBatches batches, int count) {
        List<Batch> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            taken.add(batches.next());
        }
        return taken;
    }

    @Test
    void sameSeedSameBatchesOtherSeedOtherOrder() {
        List<Batch> a = take(new TrainingBatches(DISTINCT, 42, 4), 9);
        assertThat(take(new TrainingBatches(DISTINCT, 42, 4), 9)).isEqualTo(a);
        assertThat(take(new TrainingBatches(DISTINCT, 43, 4), 9)).isNotEqualTo(a);
    }

    @Test
    void eachEpochIsAPermutationCutIntoBatches() {
        TrainingBatches batches = new TrainingBatches(DISTINCT, 7, 4);
        assertThat(batches.batchesPerEpoch()).isEqualTo(3);
        List<Batch> epoch0 = take(batches, 3);
        List<Batch> epoch1 = take(batches, 3);
        assertThat(epoch0).extracting(b -> b.examples().size()).containsExactly(4, 4, 2);
        assertThat(epoch0).allMatch(b -> b.epoch() == 0);
        assertThat(epoch1).allMatch(b -> b.epoch() == 1);
        assertThat(epoch0.stream().flatMap(b -> b.examples().stream())).containsExactlyInAnyOrderElementsOf(DISTINCT);
        assertThat(epoch1.stream().flatMap(b -> b.examples().stream())).containsExactlyInAnyOrderElementsOf(DISTINCT);
        assertThat(epoch1.stream().flatMap(b -> b.examples().stream()).toList())
                .as("a new shuffle every epoch")
                .isNotEqualTo(epoch0.stream().flatMap(b -> b.examples().stream()).toList());
        assertThat(batches.cursor()).isEqualTo(new Cursor(1, 10));
    }

    @Test
    void resumingFromASavedCursorContinuesTheSameSequence() {
        List<Batch> uninterrupted = take(new TrainingBatches(DISTINCT, 3, 4), 8);
        for (int stop = 0; stop <= 8; stop++) {
            TrainingBatches before = new TrainingBatches(DISTINCT, 3, 4);
            List<Batch> resumedRun = new ArrayList<>(take(before, stop));
            Cursor saved = before.cursor();

            TrainingBatches after = new TrainingBatches(DISTINCT, 3, 4); // a new process
            after.seek(saved);
            resumedRun.addAll(take(after, 8 - stop));
            assertThat(resumedRun).as("stopped after %d batches at %s", stop, saved).isEqualTo(uninterrupted);
        }
    }

    @Test
    void dropsLaterDuplicatesWithinABatch() {
        List<TrainingExample> examples = List.of(
                TrainingExample.positivePair("a", "x"),
                TrainingExample.positivePair("a", "y"),   // same text
                TrainingExample.positivePair("b", "x"),   // same partner
                TrainingExample.positivePair("x", "c"),   // text equals another partner
                TrainingExample.triplet("d", "e", "a"),   // negative equals another text
                TrainingExample.positivePair("f", "g"));
        // one batch holds the whole epoch, so whatever the order, exactly one of each clashing group survives
        TrainingBatches batches = new TrainingBatches(examples, 11, examples.size());
        for (int epoch = 0; epoch < 5; epoch++) {
            Batch batch = batches.next();
            List<String> sentences = batch.examples().stream()
                    .flatMap(e -> e.negative().isPresent()
                            ? List.of(e.text(), e.partner(), e.negative().get()).stream()
                            : List.of(e.text(), e.partner()).stream())
                    .toList();
            assertThat(new HashSet<>(sentences)).as("no sentence twice").hasSameSizeAs(sentences);
            assertThat(batch.examples().size() + batch.droppedDuplicates()).isEqualTo(examples.size());
            assertThat(batch.droppedDuplicates()).isPositive();
            assertThat(batch.examples()).contains(examples.get(5));
        }
        // the earlier one stays: a fixed order shows which
        TrainingBatches single = new TrainingBatches(examples.subList(0, 2), 0, 2);
        Batch batch = single.next();
        assertThat(batch.droppedDuplicates()).isEqualTo(1);
        assertThat(batch.examples()).hasSize(1);
    }

    @Test
    void duplicatesInDifferentBatchesAreKept() {
        List<TrainingExample> examples = List.of(TrainingExample.positivePair("a", "x"),
                TrainingExample.positivePair("a", "x"));
        TrainingBatches batches = new TrainingBatches(examples, 5, 1);
        assertThat(take(batches, 2)).allMatch(b -> b.examples().size() == 1 && b.droppedDuplicates() == 0);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new TrainingBatches(List.of(), 1, 4)).hasMessageContaining("no training examples");
        assertThatThrownBy(() -> new TrainingBatches(DISTINCT, 1, 0)).hasMessageContaining("batch size");
        assertThatThrownBy(() -> new TrainingBatches(DISTINCT, 1, 4).seek(new Cursor(0, 11)))
                .hasMessageContaining("beyond");
        assertThatThrownBy(() -> new Cursor(-1, 0)).hasMessageContaining("epoch >= 0");
    }
}
