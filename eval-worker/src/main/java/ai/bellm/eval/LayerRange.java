package ai.bellm.eval;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Numbers of causal layers n = first..last (1-based, inclusive) that a sweep scores. */
public record LayerRange(int first, int last) {

    private static final Pattern SYNTAX = Pattern.compile("(\\d+)(?:-(\\d+))?");

    public LayerRange {
        if (first < 1 || last < first) {
            throw new IllegalArgumentException("bad layer range " + first + "-" + last
                    + ": expected 1 <= A <= B");
        }
    }

    /** {@code A-B} or a single {@code N}. */
    public static LayerRange parse(String text) {
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad --layers '" + text + "': expected A-B (e.g. 1-30) or N");
        }
        try {
            int first = Integer.parseInt(m.group(1));
            return new LayerRange(first, m.group(2) == null ? first : Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad --layers '" + text + "': number too large");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad --layers '" + text + "': expected 1 <= A <= B");
        }
    }

    /** This range, checked against a model of {@code numLayers} layers. */
    public LayerRange within(int numLayers) {
        if (last > numLayers) {
            throw new IllegalArgumentException("--layers " + this + " goes beyond the model's " + numLayers
                    + " layers (use 1-" + numLayers + " or less)");
        }
        return this;
    }

    public int size() {
        return last - first + 1;
    }

    /** The {@code [first, last]} pair written to result files. */
    public List<Integer> bounds() {
        return List.of(first, last);
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
