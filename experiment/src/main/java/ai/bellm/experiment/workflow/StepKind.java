package ai.bellm.experiment.workflow;

import java.util.Locale;

/** The kinds of step an experiment runs, each one worker command. */
public enum StepKind {
    SWEEP, TRAIN, EVALUATE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
