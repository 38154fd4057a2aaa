package ai.bellm.data;

import java.util.List;

/**
 * Training examples of one file, all of the same {@link TrainingExample.Kind}.
 *
 * @param skippedLines malformed lines skipped under {@link BadLinePolicy#SKIP}
 */
public record TrainingSet(String name, List<TrainingExample> examples, int skippedLines) {

    public TrainingSet {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("training set '" + name + "' has no examples");
        }
        examples = List.copyOf(examples);
    }

    public TrainingExample.Kind kind() {
        return examples.get(0).kind();
    }
}
