package ai.bellm.train;

import ai.bellm.cli.BidirectionalOption;
import ai.bellm.cli.RecipeOptions;
import ai.bellm.cli.TrackedCommand;
import ai.bellm.data.BadLinePolicy;
import ai.bellm.data.TaskSpec;
import ai.bellm.embed.EmbeddingOptions;
import ai.bellm.layers.LayerRange;
import ai.bellm.loss.AnglEObjective;
import ai.bellm.model.LlamaCheckpoint;
import ai.bellm.model.LoraConfig;
import ai.bellm.model.Precision;
import ai.bellm.recipe.BidirectionalLayers;
import ai.bellm.recipe.EmbeddingRecipe;
import ai.bellm.recipe.RecipeChanges;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bellm train}: contrastive BeLLM training with the AnglE objective; writes a model package. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune a base model (GGUF or HF directory) into a BeLLM sentence embedder: layers from"
                + " --bidirectional-from on attend bidirectionally, LoRA adapters and/or the top layers train on the"
                + " AnglE objective (CoSENT + in-batch InfoNCE + angle). Writes a model package to --out (bellm-model"
                + ".json, trained.safetensors, tokenizer.json) that embed and evaluate accept.",
                "Checkpoints go to --checkpoint-dir every --checkpoint-every steps; running the same command again"
                + " resumes from the newest one. With MLFLOW_TRACKING_URI and MLFLOW_RUN_ID set, parameters,"
                + " per-step metrics and the package are logged to that run, and each checkpoint is copied to its"
                + " checkpoints/ artifacts: a run started again with an empty --checkpoint-dir (a new pod) resumes"
                + " from there."})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "PATH", description = "Base model: GGUF file or HF dir.")
    Path model;

    @Mixin
    BidirectionalOption bidirectional;

    @Option(names = "--turning-point", paramLabel = "T",
            description = "The sweep's turning point t: layers from K = min(t, L - 2) on attend bidirectionally (L: the"
                    + " model's layers). Instead of --bidirectional-from.")
    Integer turningPoint;

    @Option(names = "--train", required = true, paramLabel = "NAME=FORMAT:PATH",
            description = "Training data, repeatable. FORMAT: stsb, sick, senteval (scored pairs) or jsonl (scored"
                    + " pairs {s1,s2,score}, positive pairs {text,positive}, triplets {text,positive,negative}).")
    List<String> train;

    @Option(names = "--dev", paramLabel = "NAME=FORMAT:PATH",
            description = "STS dev sets scored (Spearman) every --eval-every steps and at the end, repeatable.")
    List<String> dev = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model package directory.")
    Path out;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Default: DIR/checkpoints of --out.")
    Path checkpointDir;

    @Mixin
    RecipeOptions recipe;

    @Option(names = "--lora-rank", paramLabel = "R", defaultValue = "8", description = "0 for no adapters (default: 8).")
    int loraRank;

    @Option(names = "--lora-alpha", paramLabel = "A", defaultValue = "16", description = "Default: ${DEFAULT-VALUE}.")
    float loraAlpha;

    @Option(names = "--lora-dropout", paramLabel = "P", defaultValue = "0.05", description = "Default: ${DEFAULT-VALUE}.")
    float loraDropout;

    @Option(names = "--lora-targets", paramLabel = "LIST", defaultValue = "q,k,v,o,gate,up,down",
            description = "Projections with adapters: q,k,v,o,gate,up,down or all (default: ${DEFAULT-VALUE}).")
    String loraTargets;

    @Option(names = "--lora-layers", paramLabel = "A-B",
            description = "0-based layer range with adapters (default: all). Layers below the range stay frozen, so"
                    + " their output is cached once (see --frozen-layer-cache).")
    String loraLayers;

    @Option(names = "--full-tune-layers", paramLabel = "M", defaultValue = "0",
            description = "Also train every weight of the top M layers (default: ${DEFAULT-VALUE}).")
    int fullTuneLayers;

    @Option(names = "--cosent-weight", defaultValue = "1.0", paramLabel = "W", description = "Default: ${DEFAULT-VALUE}.")
    double cosentWeight;

    @Option(names = "--infonce-weight", defaultValue = "1.0", paramLabel = "W", description = "Default: ${DEFAULT-VALUE}.")
    double infoNceWeight;

    @Option(names = "--angle-weight", defaultValue = "0.02", paramLabel = "W", description = "Default: ${DEFAULT-VALUE}.")
    double angleWeight;

    @Option(names = "--batch-size", defaultValue = "16", paramLabel = "N",
            description = "Examples per micro-batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--grad-accumulation", defaultValue = "1", paramLabel = "N",
            description = "Micro-batches per optimizer step (default: ${DEFAULT-VALUE}).")
    int gradientAccumulation;

    @Option(names = "--epochs", defaultValue = "1", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--max-steps", defaultValue = "0", paramLabel = "N",
            description = "Optimizer steps; overrides --epochs when > 0.")
    long maxSteps;

    @Option(names = "--lr", defaultValue = "2e-4", paramLabel = "LR", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--warmup-steps", defaultValue = "0", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    long warmupSteps;

    @Option(names = "--decay", defaultValue = "linear", paramLabel = "linear|cosine", description = "Default: linear.")
    String decay;

    @Option(names = "--weight-decay", defaultValue = "0.01", paramLabel = "WD", description = "Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(names = "--max-grad-norm", defaultValue = "1.0", paramLabel = "X", description = "Default: ${DEFAULT-VALUE}.")
    double maxGradNorm;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--frozen-layer-cache", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Compute the frozen layers' output once per data set (default: on; applies when the"
                    + " lowest trained layer is above 0).")
    boolean frozenLayerCache;

    @Option(names = "--encode-batch-size", defaultValue = "16", paramLabel = "N",
            description = "Sentences per forward pass for the frozen-layer cache and dev scoring (default: ${DEFAULT-VALUE}).")
    int encodeBatchSize;

    @Option(names = "--checkpoint-every", defaultValue = "100", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--keep-checkpoints", defaultValue = "2", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int keepCheckpoints;

    @Option(names = "--eval-every", defaultValue = "0", paramLabel = "N",
            description = "Score the dev sets every N steps (0: only at the end).")
    int evalEvery;

    @Option(names = "--log-every", defaultValue = "10", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int logEvery;

    @Option(names = "--skip-bad-lines", description = "Skip (and count) malformed data lines.")
    boolean skipBadLines;

    @Option(names = "--precision", defaultValue = "f32", paramLabel = "f32|bf16",
            description = "The precision the package embeds in unless told otherwise, written to its manifest"
                    + " (training itself runs in F32). Default: ${DEFAULT-VALUE}.")
    String precision;

    @Override
    public Integer call() throws Exception {
        TrainingOptions options = options();
        PrintWriter log = spec.commandLine().getErr();
        return TrackedCommand.run(run -> {
            new Trainer(options, log, run).train();
            return 0;
        });
    }

    TrainingOptions options() throws IOException {
        EmbeddingOptions embedding = EmbeddingOptions.of(recipeChanges().applyTo(EmbeddingRecipe.DEFAULT))
                .withBatchSize(encodeBatchSize);
        return new TrainingOptions(model, TaskSpec.parseAll(train), TaskSpec.parseAll(dev), out,
                checkpointDir != null ? checkpointDir : out.resolve("checkpoints"), embedding, lora(), fullTuneLayers,
                AnglEObjective.withWeights(cosentWeight, infoNceWeight, angleWeight), batchSize, gradientAccumulation,
                epochs, maxSteps, learningRate, warmupSteps,
                LearningRateSchedule.Decay.valueOf(decay.toUpperCase(java.util.Locale.ROOT)), weightDecay,
                maxGradNorm, seed, frozenLayerCache, checkpointEvery, keepCheckpoints, evalEvery, logEvery,
                skipBadLines ? BadLinePolicy.SKIP : BadLinePolicy.FAIL, Precision.parse(precision));
    }

    /** The recipe options, with K from --turning-point and the model's layer count when that is given. */
    private RecipeChanges recipeChanges() throws IOException {
        RecipeChanges changes = bidirectional.addTo(recipe.changes());
        if (turningPoint == null) {
            return changes;
        }
        if (bidirectional.bidirectionalFrom != null) {
            throw new IllegalArgumentException("give --turning-point or --bidirectional-from, not both");
        }
        try (LlamaCheckpoint checkpoint = LlamaCheckpoint.open(model)) {
            return changes.withBidirectionalFrom(
                    BidirectionalLayers.fromTurningPoint(turningPoint, checkpoint.config().numLayers()));
        }
    }

    /** Adapters unless --lora-rank 0; the layer range is checked against the model when they are attached. */
    private Optional<LoraConfig> lora() {
        if (loraRank == 0) {
            return Optional.empty();
        }
        LayerRange layers = loraLayers == null ? new LayerRange(0, LoraConfig.LAST_LAYER)
                : LayerRange.parseIndices(loraLayers, "--lora-layers");
        return Optional.of(new LoraConfig(loraRank, loraAlpha, loraDropout, LoraConfig.parseTargets(loraTargets),
                layers.first(), layers.last()));
    }
}
