package ai.bellm.train;

import ai.bellm.data.BadLinePolicy;
import ai.bellm.data.DataFormat;
import ai.bellm.data.JsonlReader;
import ai.bellm.data.ScoredPair;
import ai.bellm.data.TaskSpec;
import ai.bellm.data.TrainingExample;
import java.util.ArrayList;
import java.util.List;

/**
 * Training examples from {@code NAME=FORMAT:PATH} specs: STS-B, SICK and SentEval files give scored pairs; JSONL gives
 * scored pairs ({@code s1, s2, score}), positive pairs ({@code text, positive}) or triplets ({@code text, positive,
 * negative}). All sets of one run must be of one kind, since each kind has its own loss terms.
 */
final class TrainingData {

    private TrainingData() {
    }

    static List<TrainingExample> load(List<TaskSpec> specs, BadLinePolicy policy) {
        List<TrainingExample> examples = new ArrayList<>();
        TrainingExample.Kind kind = null;
        for (TaskSpec spec : specs) {
            List<TrainingExample> set = read(spec, policy);
            TrainingExample.Kind setKind = set.get(0).kind();
            if (kind != null && kind != setKind) {
                throw new IllegalArgumentException("training set " + spec.name() + " holds " + setKind
                        + " examples, the sets before it " + kind + ": use one kind per run");
            }
            kind = setKind;
            examples.addAll(set);
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training data: give --train NAME=FORMAT:PATH");
        }
        return examples;
    }

    private static List<TrainingExample> read(TaskSpec spec, BadLinePolicy policy) {
        if (spec.format() == DataFormat.JSONL) {
            return JsonlReader.readTraining(spec.path(), spec.name(), policy).examples();
        }
        List<TrainingExample> pairs = new ArrayList<>();
        for (ScoredPair pair : spec.load(policy).pairs()) {
            pairs.add(TrainingExample.scoredPair(pair.s1(), pair.s2(), pair.score()));
        }
        return pairs;
    }
}
