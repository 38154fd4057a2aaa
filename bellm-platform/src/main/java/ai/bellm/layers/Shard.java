package ai.bellm.layers;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shard {@code index} of {@code count} (1-based), written {@code i/n}: so that several pods split one sweep.
 *
 * <p><b>Split rule.</b> A range of {@code S} layer counts is cut into {@code count} contiguous, disjoint parts in
 * order; with {@code S = q * count + r}, the first {@code r} parts get {@code q + 1} layer counts and the others
 * {@code q}. So sizes differ by at most one and the parts of shards 1..n, joined, are exactly the range. More shards
 * than layer counts is an error (a shard would be empty).
 *
 * <p>Note on cost: the work of a shard is dominated by the forward pass through its <em>last</em> layer count,
 * so the shard holding the top of the range takes about as long as an unsharded sweep; splitting the layers saves
 * the pooling and scoring of the other counts, not the depth of the forward pass.
 */
public record Shard(int index, int count) {

    private static final Pattern SYNTAX = Pattern.compile("(\\d+)/(\\d+)");

    public static final Shard WHOLE = new Shard(1, 1);

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

    /** This shard's part of {@code range}, by the split rule above. */
    public LayerRange part(LayerRange range) {
        if (count > range.size()) {
            throw new IllegalArgumentException("cannot split --layers " + range + " (" + range.size()
                    + " layer counts) into " + count + " shards");
        }
        int base = range.size() / count;
        int extra = range.size() % count;
        int i = index - 1;
        int first = range.first() + i * base + Math.min(i, extra);
        int size = base + (i < extra ? 1 : 0);
        return new LayerRange(first, first + size - 1);
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
