package ai.bellm.experiment.workflow;

import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.api.TrainingSpec;
import ai.bellm.recipe.BaseModelLocation;
import ai.bellm.recipe.PromptTemplate;
import ai.bellm.recipe.RecipeChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The worker command lines of an experiment's steps ({@code bellm sweep | train | evaluate}, see the README).
 * Outputs go to relative paths: the step's working directory (an emptyDir in a pod) holds them; what matters is
 * logged to the step's MLflow run by the worker.
 */
public final class StepCommands {
    /** Where training writes the model package; the worker uploads it to its run under {@code model/}. */
    public static final String MODEL_DIR = "model";
    public static final String MODEL_ARTIFACT = "model";

    private final BeLLMExperimentSpec spec;

    public StepCommands(BeLLMExperimentSpec spec) {
        this.spec = spec;
    }

    public List<String> sweep(int shard, int shards) {
        List<String> args = new ArrayList<>(List.of("sweep", "--model", spec.baseModel.uri));
        tasks(args, "--task", spec.data.eval);
        if (spec.sweep.layers != null) {
            args.addAll(List.of("--layers", spec.sweep.layers));
        }
        // no --max-drop: the workflow finds the turning point from the shards' curves, so a new maxDrop sweeps nothing
        args.addAll(List.of("--shard", shard + "/" + shards, "--out", "results/sweep-" + shard + ".json"));
        embedding(args);
        return args;
    }

    /**
     * Training with the layers from the spec's {@code training.bidirectionalFrom} on bidirectional, else those the
     * rule gives for {@code turningPoint} (the trainer applies it: it knows the model's layer count).
     */
    public List<String> train(int turningPoint) {
        TrainingSpec t = spec.training;
        List<String> args = new ArrayList<>(List.of("train", "--model", spec.baseModel.uri));
        tasks(args, "--train", spec.data.train);
        args.addAll(List.of("--out", MODEL_DIR));
        args.addAll(t.bidirectionalFrom != null
                ? List.of("--bidirectional-from", Integer.toString(t.bidirectionalFrom))
                : List.of("--turning-point", Integer.toString(turningPoint)));
        args.addAll(List.of("--lora-rank", Integer.toString(t.lora.rank), "--lora-alpha", Double.toString(t.lora.alpha),
                "--lora-targets", t.lora.targets,
                "--cosent-weight", Double.toString(t.objective.cosent),
                "--infonce-weight", Double.toString(t.objective.infonce),
                "--angle-weight", Double.toString(t.objective.angle),
                "--lr", Double.toString(t.lr), "--warmup-steps", Integer.toString(t.warmupSteps),
                "--batch-size", Integer.toString(t.batchSize),
                "--seed", Long.toString(t.seed), "--checkpoint-every", Integer.toString(t.checkpointEvery)));
        if (t.lora.layers != null) {
            args.addAll(List.of("--lora-layers", t.lora.layers));
        }
        if (t.maxSteps != null) {
            args.addAll(List.of("--max-steps", Integer.toString(t.maxSteps)));
        } else {
            args.addAll(List.of("--epochs", Integer.toString(t.epochs)));
        }
        embedding(args);
        return args;
    }

    /**
     * Evaluates the package the training run uploaded (the worker fetches it from MLflow) with the recipe stored in
     * it, so that evaluation embeds exactly as the model was trained.
     */
    public List<String> evaluate(String trainRunId) {
        List<String> args = new ArrayList<>(List.of("evaluate",
                "--model", "runs:/" + trainRunId + "/" + MODEL_ARTIFACT));
        tasks(args, "--task", evaluationTasks());
        args.addAll(List.of("--out", "results/evaluation.json"));
        return args;
    }

    /** A trained package names its base model by path; in a pod the base model is where the spec says. */
    public Map<String, String> evaluateEnv() {
        return Map.of(BaseModelLocation.ENV, spec.baseModel.uri);
    }

    public List<String> evaluationTasks() {
        List<String> tasks = spec.evaluation == null ? null : spec.evaluation.tasks;
        return tasks == null || tasks.isEmpty() ? spec.data.eval : tasks;
    }

    /**
     * The spec's recipe, for the sweep and the training (evaluation reads it from the package): both embed the same
     * way, or the sweep's turning point would not carry over. Unset fields keep the workers' defaults.
     */
    private void embedding(List<String> args) {
        TrainingSpec t = spec.training;
        args.addAll(new RecipeChanges(t.prompt == null ? null : new PromptTemplate(t.prompt), t.pooling, null,
                t.maxTokens).toArgs());
    }

    private static void tasks(List<String> args, String option, List<String> specs) {
        specs.forEach(s -> args.addAll(List.of(option, s)));
    }
}
