package ai.bellm.data;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shard {@code index} of {@code count} (1-based), written {@code i/n}: so that several pods split one sweep by its
 * data. Each shard runs the whole model on its part of every task's pairs, so n shards cost about one forward pass
 * in all (a sentence in pairs of two shards is embedded by both).
 *
 * <p><b>Split rule.</b> {@code S} items are cut into {@code count} contiguous, disjoint parts in order; with
 * {@code S = q * count + r}, the first {@code r} parts get {@code q + 1} items and the others {@code q}. So sizes
 * differ by at most one and the parts of shards 1..n, joined, are exactly the items. More shards than items is an
 * error (a shard would be empty).
 */
public record Shard(int index, int count) {

    private static final Pattern SYNTAX = Pattern.compile("(\\d+)/(\\d+)");

    public static final Shard WHOLE = new Shard(1, 1);

    /** Items {@code from} (inclusive) to {@code to} (exclusive), 0-based. */
    public record Slice(int from, int to) {

        public <T> List<T> of(List<T> items) {
            return items.subList(from, to);
        }
    }

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("bad shard " + index + "/" + count + ": expected i/n with 1 <= i <= n");
        }
    }

    public static Shard parse(String text) {
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad --shard '" + text + "': expected i/n (1-based), e.g. 2/4");
        }
        try {
            return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad --shard '" + text + "': number too large");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad --shard '" + text + "': expected i/n with 1 <= i <= n");
        }
    }

    /** This shard's part of {@code size} items, by the split rule above; {@code what} names them in the error. */
    public Slice slice(int size, String what) {
        if (count > size) {
            throw new IllegalArgumentException("cannot split " + what + " (" + size + ") into " + count + " shards");
        }
        int base = size / count;
        int extra = size % count;
        int i = index - 1;
        int from = i * base + Math.min(i, extra);
        return new Slice(from, from + base + (i < extra ? 1 : 0));
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
