package ai.bellm.data;

import java.util.regex.Pattern;

/** Parsing of the fields of one line, failing with a {@link BadLineException} that says what is wrong. */
final class Fields {

    // Plain decimal numbers only: Double.parseDouble would also accept "NaN", "Infinity", "1d" and hex floats.
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private Fields() {
    }

    static double score(String text, String column) throws BadLineException {
        String trimmed = text.strip();
        if (trimmed.equalsIgnoreCase("nan")) {
            throw new BadLineException(column + " is NaN");
        }
        if (!DECIMAL.matcher(trimmed).matches()) {
            throw new BadLineException(column + " is not a number: '" + text + "'");
        }
        double value = Double.parseDouble(trimmed);
        if (!Double.isFinite(value)) {
            throw new BadLineException(column + " is out of range: '" + text + "'");
        }
        return value;
    }

    static String sentence(String text, String column) throws BadLineException {
        if (text.isBlank()) {
            throw new BadLineException(column + " is empty");
        }
        return text;
    }

    static String[] columns(String line, int required, String expected) throws BadLineException {
        String[] columns = line.split("\t", -1);
        if (columns.length < required) {
            throw new BadLineException("expected " + required + " tab-separated columns (" + expected + "), found "
                    + columns.length);
        }
        return columns;
    }
}
