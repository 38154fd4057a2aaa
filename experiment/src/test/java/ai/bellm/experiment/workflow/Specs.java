package ai.bellm.experiment.workflow;

import ai.bellm.api.BaseModelSpec;
import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.api.DataSpec;
import ai.bellm.api.PromotionSpec;
import java.util.List;

/** Experiment specs for tests. */
public final class Specs {

    private Specs() {
    }

    public static BeLLMExperimentSpec tiny(String modelPath, String train, String eval, String registeredModel) {
        BeLLMExperimentSpec spec = new BeLLMExperimentSpec();
        spec.baseModel = new BaseModelSpec();
        spec.baseModel.uri = modelPath;
        spec.data = new DataSpec();
        spec.data.train = List.of("tiny-train=jsonl:" + train);
        spec.data.eval = List.of("tiny-dev=jsonl:" + eval);
        spec.sweep.shards = 2;
        spec.training.maxSteps = 4;
        spec.training.batchSize = 8;
        spec.training.maxTokens = 128;
        spec.training.lora.rank = 2;
        spec.training.lora.alpha = 4;
        spec.promotion = new PromotionSpec();
        spec.promotion.registeredModel = registeredModel;
        return spec;
    }
}
