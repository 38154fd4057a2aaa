package ai.bellm.layers;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An inclusive range of layers {@code first..last}, written {@code A-B} or {@code N}: the numbers of causal layers
 * n that a sweep scores (from 1), or 0-based layer indices (the layers LoRA adapts). The one parser of that syntax,
 * for command-line options and resource fields alike.
 */
public record LayerRange(int first, int last) {

    private static final Pattern SYNTAX = Pattern.compile("(\\d+)(?:-(\\d+))?");

    public LayerRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("bad layer range " + first + "-" + last + ": expected 0 <= A <= B");
        }
    }

    /** Numbers of causal layers n = A..B (1-based): the sweep's {@code field}, e.g. {@code --layers}. */
    public static LayerRange parseCounts(String text, String field) {
        return parse(text, field, 1);
    }

    /** 0-based layer indices A..B, e.g. {@code --lora-layers}. */
    public static LayerRange parseIndices(String text, String field) {
        return parse(text, field, 0);
    }

    private static LayerRange parse(String text, String field, int lowest) {
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad " + field + " '" + text + "': expected A-B (e.g. " + lowest
                    + "-30) or N");
        }
        int first;
        int last;
        try {
            first = Integer.parseInt(m.group(1));
            last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + field + " '" + text + "': number too large");
        }
        if (first < lowest || last < first) {
            throw new IllegalArgumentException("bad " + field + " '" + text + "': expected " + lowest + " <= A <= B");
        }
        return new LayerRange(first, last);
    }

    /** This range of layer counts, checked against a model of {@code numLayers} layers. */
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
