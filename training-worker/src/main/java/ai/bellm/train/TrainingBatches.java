package ai.bellm.train;

import ai.bellm.data.TrainingExample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Endless batches over a training set: each epoch is a fresh seeded shuffle cut into consecutive batches of
 * {@code batchSize} examples (the last one of an epoch may be shorter; batches never span two epochs).
 *
 * <p>Reproducible without stored RNG state: the order of epoch e depends only on (seed, e), so a {@link Cursor}
 * (epoch, position in that epoch's order) is all a checkpoint needs; resuming from it yields exactly the batches the
 * uninterrupted run would have produced.
 *
 * <p>In-batch negatives make a repeated sentence a false negative: if a sentence of an example (text, partner or
 * negative) already occurs in the batch in any role, its partner is a correct answer the loss counts as wrong (two
 * equal partners, two equal texts, or a partner equal to another row's text, which scores cos = 1). Such an
 * example is dropped from that batch (the earlier one stays), so a batch can hold fewer than {@code batchSize}
 * examples; {@link Batch#droppedDuplicates()} counts the drops.
 */
public final class TrainingBatches {

    /** The position of the next batch: its epoch and the index of its first example in that epoch's order. */
    public record Cursor(int epoch, int index) {
        public Cursor {
            if (epoch < 0 || index < 0) {
                throw new IllegalArgumentException("a cursor needs epoch >= 0 and index >= 0, got " + epoch + ", "
                        + index);
            }
        }
    }

    /** One batch: the examples kept and how many duplicates were dropped from its slice of the epoch. */
    public record Batch(int epoch, List<TrainingExample> examples, int droppedDuplicates) {
        public Batch {
            examples = List.copyOf(examples);
        }
    }

    /** Odd, so that epoch ↦ epoch · GOLDEN is a bijection on longs and distinct epochs get distinct seeds. */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final List<TrainingExample> examples;
    private final long seed;
    private final int batchSize;
    private int epoch;
    private int index;
    private int[] order;

    /** Starts at epoch 0, index 0. */
    public TrainingBatches(List<TrainingExample> examples, long seed, int batchSize) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.examples = List.copyOf(examples);
        this.seed = seed;
        this.batchSize = batchSize;
        seek(new Cursor(0, 0));
    }

    /** Batches per epoch, counting the shorter last one (for the learning-rate schedule's total steps). */
    public int batchesPerEpoch() {
        return (examples.size() + batchSize - 1) / batchSize;
    }

    /** Where the next batch starts; save it with a checkpoint. */
    public Cursor cursor() {
        return new Cursor(epoch, index);
    }

    /** Continues from a saved cursor. */
    public void seek(Cursor cursor) {
        if (cursor.index() > examples.size()) {
            throw new IllegalArgumentException("cursor index " + cursor.index() + " is beyond the epoch's "
                    + examples.size() + " examples");
        }
        epoch = cursor.epoch();
        index = cursor.index();
        order = shuffledOrder(epoch);
    }

    public Batch next() {
        if (index == examples.size()) {
            seek(new Cursor(epoch + 1, 0));
        }
        int end = Math.min(index + batchSize, examples.size());
        List<TrainingExample> kept = new ArrayList<>(end - index);
        Set<String> sentences = new HashSet<>();
        int dropped = 0;
        for (int i = index; i < end; i++) {
            TrainingExample example = examples.get(order[i]);
            List<String> own = sentencesOf(example);
            if (own.stream().anyMatch(sentences::contains)) {
                dropped++;
            } else {
                sentences.addAll(own);
                kept.add(example);
            }
        }
        Batch batch = new Batch(epoch, kept, dropped);
        index = end;
        return batch;
    }

    private static List<String> sentencesOf(TrainingExample example) {
        List<String> own = new ArrayList<>(3);
        own.add(example.text());
        own.add(example.partner());
        example.negative().ifPresent(own::add);
        return own;
    }

    /** A Fisher–Yates shuffle of 0..n−1 seeded from (seed, epoch) alone. */
    private int[] shuffledOrder(int epochNumber) {
        SplittableRandom random = new SplittableRandom(seed ^ (epochNumber * GOLDEN));
        int[] permutation = new int[examples.size()];
        for (int i = 0; i < permutation.length; i++) {
            permutation[i] = i;
        }
        for (int i = permutation.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = swap;
        }
        return permutation;
    }
}
