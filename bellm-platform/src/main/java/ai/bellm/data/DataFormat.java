package ai.bellm.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The evaluation data formats, by the identifier used in task specs ({@code stsb}, {@code sick}, ...). */
public enum DataFormat {
    /** STS Benchmark file, see {@link StsbReader}. */
    STSB("stsb"),
    /** SICK file, see {@link SickReader}. */
    SICK("sick"),
    /** SentEval STS12–16 directory of one year, see {@link SentEvalReader}. */
    SENTEVAL("senteval"),
    /** JSON Lines of scored pairs, see {@link JsonlReader#readScored}. */
    JSONL("jsonl");

    private final String id;

    DataFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static DataFormat fromId(String id) {
        for (DataFormat format : values()) {
            if (format.id.equals(id)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown data format '" + id + "', expected one of " + ids());
    }

    static String ids() {
        return Arrays.stream(values()).map(DataFormat::id).collect(Collectors.joining(", "));
    }

    public StsDataset read(Path path, String name, BadLinePolicy policy) {
        return switch (this) {
            case STSB -> StsbReader.read(path, name, policy);
            case SICK -> SickReader.read(path, name, policy);
            case SENTEVAL -> SentEvalReader.read(path, name, policy);
            case JSONL -> JsonlReader.readScored(path, name, policy);
        };
    }
}
