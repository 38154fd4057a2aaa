package ai.bellm.loss;

import ai.bellm.data.TrainingExample;

/** The scale of gold similarity scores (STS-B 0–5, SICK 1–5), to turn a threshold fraction into a score. */
public record ScoreRange(double min, double max) {

    public ScoreRange {
        if (!Double.isFinite(min) || !Double.isFinite(max) || max <= min) {
            throw new IllegalArgumentException("a score range needs finite min < max, got [" + min + ", " + max + "]");
        }
    }

    /** The range the scores of a training set span (its observed minimum and maximum). */
    public static ScoreRange spanning(Iterable<TrainingExample> examples) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (TrainingExample example : examples) {
            if (example.score().isPresent()) {
                min = Math.min(min, example.score().getAsDouble());
                max = Math.max(max, example.score().getAsDouble());
            }
        }
        return new ScoreRange(min, max);
    }

    /** Maps min → 0 and max → 1. */
    public double normalise(double score) {
        return (score - min) / (max - min);
    }
}
