package ai.bellm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * Token sequences of one batch, right-padded to the longest one.
 *
 * <p>Right padding keeps every real token at the position it has when the sequence is alone, so rotary positions and
 * (with the key-padding mask) attention are the same in any batch.
 */
public final class TokenBatch {

    private final int[][] sequences;
    private final int maxLength;

    public TokenBatch(List<int[]> sequences) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one sequence");
        }
        this.sequences = sequences.toArray(int[][]::new);
        int longest = 0;
        for (int[] seq : this.sequences) {
            if (seq.length == 0) {
                throw new IllegalArgumentException("a sequence in the batch has no tokens");
            }
            longest = Math.max(longest, seq.length);
        }
        this.maxLength = longest;
    }

    public int size() {
        return sequences.length;
    }

    public int maxLength() {
        return maxLength;
    }

    public int length(int row) {
        return sequences[row].length;
    }

    public int tokenCount() {
        return Arrays.stream(sequences).mapToInt(s -> s.length).sum();
    }

    /**
     * How many leading tokens all sequences of the batch share (a prompt's opening words, say), at most one less than
     * the shortest sequence so that each keeps a token of its own; 0 for a batch of one, which has nothing to share.
     */
    public int sharedPrefixLength() {
        if (size() < 2) {
            return 0;
        }
        int limit = Arrays.stream(sequences).mapToInt(s -> s.length).min().orElseThrow() - 1;
        int shared = 0;
        while (shared < limit && sameTokenEverywhere(shared)) {
            shared++;
        }
        return shared;
    }

    private boolean sameTokenEverywhere(int position) {
        for (int[] seq : sequences) {
            if (seq[position] != sequences[0][position]) {
                return false;
            }
        }
        return true;
    }

    /** Whether every sequence opens with {@code prefix} and has a token of its own after it. */
    boolean allOpenWith(int[] prefix) {
        for (int[] seq : sequences) {
            if (seq.length <= prefix.length || !Arrays.equals(seq, 0, prefix.length, prefix, 0, prefix.length)) {
                return false;
            }
        }
        return true;
    }

    /** Token ids as the rows of a {@link PackedRows} laid out by {@code layout}: its prefix rows, then the rests. */
    NDArray packedIds(NDManager scope, PackedRows.Layout layout) {
        long[] ids = new long[packedRowCount(layout)];
        forEachPackedRow(layout, (row, sequence, position) -> ids[row] = sequences[sequence][position]);
        return scope.create(ids);
    }

    /** The position in its sequence of each row of a {@link PackedRows} laid out by {@code layout}. */
    int[] packedPositions(PackedRows.Layout layout) {
        int[] positions = new int[packedRowCount(layout)];
        forEachPackedRow(layout, (row, sequence, position) -> positions[row] = position);
        return positions;
    }

    private int packedRowCount(PackedRows.Layout layout) {
        return layout.prefixRows() + tokenCount() - size() * layout.prefixLength();
    }

    private interface PackedRow {
        void accept(int row, int sequence, int position);
    }

    /** The rows of a packed batch in order: the prefix rows (the first sequence's), then each sequence's rest. */
    private void forEachPackedRow(PackedRows.Layout layout, PackedRow action) {
        int row = 0;
        for (int t = 0; t < layout.prefixRows(); t++) {
            action.accept(row++, 0, t);
        }
        for (int b = 0; b < size(); b++) {
            for (int t = layout.prefixLength(); t < sequences[b].length; t++) {
                action.accept(row++, b, t);
            }
        }
    }

    /**
     * How the rows of a {@link PackedRows} go for a prefix of {@code prefixLength} tokens that all sequences share,
     * computed in the batch ({@code prefixInRows}) or kept from before.
     */
    PackedRows.Layout packedLayout(NDManager scope, int prefixLength, boolean prefixInRows) {
        int restLength = maxLength - prefixLength;
        int prefixRows = prefixInRows ? prefixLength : 0;
        if (Arrays.stream(sequences).allMatch(s -> s.length == maxLength)) {
            return new PackedRows.Layout(prefixLength, prefixRows, size(), restLength, null, null);
        }
        long[] toPadded = new long[size() * restLength];
        long[] toRows = new long[tokenCount() - size() * prefixLength];
        int row = 0;
        for (int b = 0; b < size(); b++) {
            for (int s = 0; s < sequences[b].length - prefixLength; s++, row++) {
                toPadded[b * restLength + s] = row;
                toRows[row] = (long) b * restLength + s;
            }
        }
        return new PackedRows.Layout(prefixLength, prefixRows, size(), restLength, scope.create(toPadded),
                scope.create(toRows));
    }

    /** Token ids as an int64 [B, T] array; padding positions hold id 0 (masked everywhere). */
    public NDArray ids(NDManager scope) {
        long[] ids = new long[size() * maxLength];
        for (int b = 0; b < size(); b++) {
            for (int t = 0; t < sequences[b].length; t++) {
                ids[b * maxLength + t] = sequences[b][t];
            }
        }
        return scope.create(ids, new Shape(size(), maxLength));
    }

    /**
     * Additive attention bias [B, 1, T, T]: 0 where query i may attend key j, -inf elsewhere. Keys beyond a sequence's
     * length are always masked; in causal mode keys after the query too. Every query row keeps at least key 0.
     */
    public NDArray attentionBias(NDManager scope, boolean causal) {
        int t = maxLength;
        float[] bias = new float[size() * t * t];
        for (int b = 0; b < size(); b++) {
            int len = sequences[b].length;
            for (int i = 0; i < t; i++) {
                int row = (b * t + i) * t;
                for (int j = 0; j < t; j++) {
                    boolean visible = j < len && (!causal || j <= i);
                    bias[row + j] = visible ? 0f : Float.NEGATIVE_INFINITY;
                }
            }
        }
        return scope.create(bias, new Shape(size(), 1, t, t));
    }
}
