package ai.bellm.train;

import ai.bellm.data.BadLinePolicy;
import ai.bellm.data.TaskSpec;
import ai.bellm.embed.EmbeddingOptions;
import ai.bellm.loss.AnglEObjective;
import ai.bellm.io.Sha256;
import ai.bellm.model.LoraConfig;
import ai.bellm.model.Precision;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a training run is told.
 *
 * @param embedding the recipe the model is trained for (and stored with); its batch size is the encoding batch
 *                  of the frozen-layer cache and of dev evaluation
 * @param fullTuneLayers the number of top layers trained in full (0 for none)
 * @param maxSteps optimizer steps; 0 means {@code epochs} passes over the data
 * @param warmupSteps linear warm-up before the decay
 * @param precision the precision the package embeds in by default (training runs in F32)
 */
record TrainingOptions(
        Path model,
        List<TaskSpec> train,
        List<TaskSpec> dev,
        Path out,
        Path checkpointDir,
        EmbeddingOptions embedding,
        Optional<LoraConfig> lora,
        int fullTuneLayers,
        AnglEObjective objective,
        int batchSize,
        int gradientAccumulation,
        int epochs,
        long maxSteps,
        double learningRate,
        long warmupSteps,
        LearningRateSchedule.Decay decay,
        double weightDecay,
        double maxGradNorm,
        long seed,
        boolean frozenLayerCache,
        int checkpointEvery,
        int keepCheckpoints,
        int evalEvery,
        int logEvery,
        BadLinePolicy badLines,
        Precision precision) {

    TrainingOptions {
        require(batchSize >= 2, "--batch-size must be >= 2 (the losses compare examples within a batch)");
        require(gradientAccumulation >= 1, "--grad-accumulation must be >= 1");
        require(epochs >= 1 || maxSteps > 0, "give --epochs >= 1 or --max-steps > 0");
        require(learningRate > 0, "--lr must be positive");
        require(fullTuneLayers >= 0, "--full-tune-layers must be >= 0");
        require(checkpointEvery >= 1 && keepCheckpoints >= 1, "--checkpoint-every and --keep-checkpoints must be >= 1");
        require(evalEvery >= 0 && logEvery >= 1, "--eval-every must be >= 0 and --log-every >= 1");
        require(!train.isEmpty(), "no training data: give --train NAME=FORMAT:PATH");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The settings that decide the result, as strings: logged as run parameters and digested into checkpoints, so
     * that a run only resumes a checkpoint of the same configuration. (Output paths and log or checkpoint cadence
     * are left out: they do not change the weights.)
     */
    Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("model", model.toString());
        p.put("train", train.stream().map(TrainingOptions::spec).toList().toString());
        p.putAll(embedding.recipe().params());
        p.put("lora", lora.map(TrainingOptions::describe).orElse("none"));
        p.put("full_tune_layers", Integer.toString(fullTuneLayers));
        p.put("loss_weights", objective.cosentWeight() + "/" + objective.infoNceWeight() + "/" + objective.angleWeight());
        p.put("batch_size", Integer.toString(batchSize));
        p.put("grad_accumulation", Integer.toString(gradientAccumulation));
        p.put("epochs", Integer.toString(epochs));
        p.put("max_steps", Long.toString(maxSteps));
        p.put("lr", Double.toString(learningRate));
        p.put("warmup_steps", Long.toString(warmupSteps));
        p.put("decay", decay.name().toLowerCase(java.util.Locale.ROOT));
        p.put("weight_decay", Double.toString(weightDecay));
        p.put("max_grad_norm", Double.toString(maxGradNorm));
        p.put("seed", Long.toString(seed));
        return p;
    }

    String configDigest() {
        return Sha256.hex(params().toString());
    }

    private static String spec(TaskSpec t) {
        return t.name() + "=" + t.format().id() + ":" + t.path();
    }

    private static String describe(LoraConfig c) {
        return "rank " + c.rank() + ", alpha " + c.alpha() + ", dropout " + c.dropout() + ", targets "
                + c.targets().stream().sorted().toList() + ", layers " + c.firstLayer() + "-"
                + (c.lastLayer() == LoraConfig.LAST_LAYER ? "last" : Integer.toString(c.lastLayer()));
    }
}
