package ai.bellm.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON Lines files: one JSON object per line, blank lines ignored, unknown fields ignored.
 *
 * <ul>
 *   <li>{@link #readScored}: evaluation pairs {@code {"s1": ..., "s2": ..., "score": <number>}};</li>
 *   <li>{@link #readTraining}: scored pairs as above, positive pairs {@code {"text", "positive"}} or triplets
 *       {@code {"text", "positive", "negative"}} — one shape per file, since each shape needs its own loss.</li>
 * </ul>
 * Sentences must be non-blank JSON strings and the score a JSON number (not a quoted number).
 */
public final class JsonlReader {

    // NaN is accepted by the parser so that it can be reported as a NaN score rather than as a syntax error.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonlReader() {
    }

    public static StsDataset readScored(Path file, String name, BadLinePolicy policy) {
        List<String> lines = TextFiles.readLines(file, "JSONL file");
        BadLines bad = new BadLines(file, policy);
        List<ScoredPair> pairs = bad.parseEach(lines, 0, line -> {
            JsonNode json = object(line);
            return new ScoredPair(text(json, "s1"), text(json, "s2"), number(json, "score"));
        });
        if (pairs.isEmpty()) {
            throw TextFiles.noPairs(file, bad.skipped());
        }
        return StsDataset.of(name, pairs, bad.skipped());
    }

    public static TrainingSet readTraining(Path file, String name, BadLinePolicy policy) {
        List<String> lines = TextFiles.readLines(file, "JSONL file");
        BadLines bad = new BadLines(file, policy);
        TrainingExample.Kind[] fileKind = {null}; // the kind of the first example kept
        List<TrainingExample> examples = bad.parseEach(lines, 0, line -> {
            TrainingExample example = trainingExample(object(line));
            if (fileKind[0] == null) {
                fileKind[0] = example.kind();
            } else if (example.kind() != fileKind[0]) {
                throw new BadLineException("a " + example.kind() + " in a file of " + fileKind[0]
                        + " examples (one shape per file)");
            }
            return example;
        });
        if (examples.isEmpty()) {
            throw new DatasetException(file, "no training examples"
                    + (bad.skipped() > 0 ? " (" + bad.skipped() + " lines skipped)" : ""));
        }
        return new TrainingSet(name, examples, bad.skipped());
    }

    private static TrainingExample trainingExample(JsonNode json) throws BadLineException {
        boolean scored = json.has("s1");
        if (scored == json.has("text")) {
            throw new BadLineException("expected either \"s1\" (scored pair) or \"text\" (pair or triplet), found fields "
                    + fieldNames(json));
        }
        if (scored) {
            return TrainingExample.scoredPair(text(json, "s1"), text(json, "s2"), number(json, "score"));
        }
        if (json.has("score")) {
            throw new BadLineException("\"score\" belongs to scored pairs {\"s1\", \"s2\", \"score\"}, not to \"text\"/\"positive\"");
        }
        return json.has("negative")
                ? TrainingExample.triplet(text(json, "text"), text(json, "positive"), text(json, "negative"))
                : TrainingExample.positivePair(text(json, "text"), text(json, "positive"));
    }

    private static JsonNode object(String line) throws BadLineException {
        JsonNode json;
        try {
            json = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadLineException("not valid JSON: " + e.getOriginalMessage());
        }
        if (!json.isObject()) {
            throw new BadLineException("expected a JSON object, found " + json.getNodeType());
        }
        return json;
    }

    private static String text(JsonNode json, String field) throws BadLineException {
        JsonNode value = json.get(field);
        if (value == null) {
            throw new BadLineException("missing field \"" + field + "\"");
        }
        if (!value.isTextual()) {
            throw new BadLineException("field \"" + field + "\" is not a string: " + value);
        }
        return Fields.sentence(value.textValue(), "field \"" + field + "\"");
    }

    private static double number(JsonNode json, String field) throws BadLineException {
        JsonNode value = json.get(field);
        if (value == null) {
            throw new BadLineException("missing field \"" + field + "\"");
        }
        if (!value.isNumber()) {
            throw new BadLineException("field \"" + field + "\" is not a number: " + value);
        }
        if (Double.isNaN(value.doubleValue())) {
            throw new BadLineException("field \"" + field + "\" is NaN");
        }
        if (Double.isInfinite(value.doubleValue())) {
            throw new BadLineException("field \"" + field + "\" is out of range: " + value);
        }
        return value.doubleValue();
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
