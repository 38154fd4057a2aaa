package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** What one experiment runs: sweep, training, evaluation and promotion of a BeLLM model. */
public class BeLLMExperimentSpec {
    @Required
    public BaseModelSpec baseModel;

    @Required
    public DataSpec data;

    public SweepSpec sweep = new SweepSpec();

    public TrainingSpec training = new TrainingSpec();

    public EvaluationSpec evaluation = new EvaluationSpec();

    public ResourcesSpec resources = new ResourcesSpec();

    public TrackingSpec tracking = new TrackingSpec();

    @Required
    public PromotionSpec promotion;

    @JsonPropertyDescription("True stops the running steps and launches no new ones; false again resumes, continuing"
            + " every finished step's work (training from its last checkpoint).")
    public boolean suspend;
}
