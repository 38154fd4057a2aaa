package ai.bellm.train;

import ai.bellm.cli.ProgressReporter;
import ai.bellm.data.StsDataset;
import ai.bellm.data.TrainingExample;
import ai.bellm.embed.EmbeddingModel;
import ai.bellm.embed.ModelPackage;
import ai.bellm.embed.SentenceEmbedder;
import ai.bellm.loss.LossValue;
import ai.bellm.loss.ScoreRange;
import ai.bellm.metrics.Correlation;
import ai.bellm.metrics.PairSimilarity;
import ai.bellm.model.LlamaCheckpoint;
import ai.bellm.model.LlamaModel;
import ai.bellm.model.LoraConfig;
import ai.bellm.model.TrainableWeights;
import ai.bellm.tracking.TrackedRun;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One contrastive training run: data → frozen-layer cache → steps of AnglE loss, gradient accumulation, clipping
 * and AdamW under a warm-up/decay schedule → checkpoints (copied to the tracked run) → a model package. Resumes from
 * the newest checkpoint of the same configuration, and ends with the same weights as a run that was never interrupted.
 */
final class Trainer {

    private final TrainingOptions options;
    private final PrintWriter log;
    private final Optional<TrackedRun> run;
    private final Optional<CheckpointMirror> mirror;

    Trainer(TrainingOptions options, PrintWriter log, Optional<TrackedRun> run) {
        this.options = options;
        this.log = log;
        this.run = run;
        this.mirror = run.map(r -> new CheckpointMirror(r, options.keepCheckpoints()));
    }

    /** A dev set: its pairs, and an encoder over its own tokens and frozen-layer cache. */
    private record DevSet(String name, StsDataset data, PairSimilarity pairs, BatchEncoder encoder) {
    }

    /** Trains and writes the package to {@code options.out()}; returns the summary written into it. */
    ObjectNode train() throws IOException {
        // data first: a bad path or an empty set fails before the (slow) model load
        List<TrainingExample> examples = TrainingData.load(options.train(), options.badLines());
        List<StsDataset> devData = options.dev().stream().map(spec -> spec.load(options.badLines())).toList();
        if (ModelPackage.isPackage(options.model())) {
            throw new IllegalArgumentException("--model must be a base model (GGUF file or HF directory), not a"
                    + " trained package: " + options.model());
        }
        long started = System.nanoTime();
        try (EmbeddingModel base = EmbeddingModel.load(options.model())) {
            LlamaModel model = base.model();
            // tokenizes only; training's forwards are the BatchEncoder's (an embedder from base.embedder would keep
            // states computed with the weights as loaded)
            SentenceEmbedder embedder = new SentenceEmbedder(model, base.tokenizer(), options.embedding());
            int fullTuneFrom = model.numLayers() - options.fullTuneLayers();
            if (fullTuneFrom < 0) {
                throw new IllegalArgumentException("--full-tune-layers " + options.fullTuneLayers()
                        + " is more than the model's " + model.numLayers() + " layers");
            }
            Optional<LoraConfig> lora = options.lora().map(c -> c.forModel(model.numLayers()));
            TrainableWeights trainable = TrainableWeights.attach(model, lora, fullTuneFrom, options.seed());
            log.printf("training %,d parameters (%s); layers below %d frozen%n", trainable.parameterCount(),
                    options.params().get("lora"), trainable.firstTrainableLayer());

            BatchEncoder encoder = encoder(model, embedder, trainable, texts(examples), "train");
            List<DevSet> devSets = new ArrayList<>();
            for (StsDataset data : devData) {
                PairSimilarity pairs = new PairSimilarity(data.pairs());
                devSets.add(new DevSet(data.name(), data, pairs,
                        encoder(model, embedder, trainable, pairs.sentences(), "dev " + data.name())));
            }
            Map<String, Double> devScores = loop(model, trainable, encoder, examples, devSets);
            double seconds = (System.nanoTime() - started) / 1e9;
            return writePackage(trainable, lora, examples, devScores, seconds);
        }
    }

    private BatchEncoder encoder(LlamaModel model, SentenceEmbedder embedder, TrainableWeights trainable,
            java.util.Collection<String> texts, String label) {
        TokenizedTexts tokens = new TokenizedTexts(texts, embedder);
        Optional<FrozenLayerCache> cache = Optional.empty();
        int frozen = trainable.firstTrainableLayer();
        if (options.frozenLayerCache() && frozen > 0) {
            cache = Optional.of(FrozenLayerCache.build(model, tokens, texts, options.embedding().attention(), frozen,
                    options.embedding().batchSize(), ProgressReporter.forStderr("frozen-layer cache " + label)));
            log.printf("frozen-layer cache %s: %d texts through layers 0-%d, %.1f MiB%n", label, texts.size(),
                    frozen - 1,
                    cache.get().bytes() / 1048576.0);
        }
        return new BatchEncoder(model, tokens, cache, options.embedding().attention(), options.embedding().pooling());
    }

    /** Loss of the first and of the last step this process ran, and the time spent in steps, for the summary. */
    private double firstLoss = Double.NaN;
    private double lastLoss = Double.NaN;
    private long stepsRun;
    private double stepSeconds;

    private Map<String, Double> loop(LlamaModel model, TrainableWeights trainable, BatchEncoder encoder,
            List<TrainingExample> examples, List<DevSet> devSets) throws IOException {
        TrainingBatches batches = new TrainingBatches(examples, options.seed(), options.batchSize());
        long totalSteps = options.maxSteps() > 0 ? options.maxSteps()
                : (long) options.epochs() * ((batches.batchesPerEpoch() + options.gradientAccumulation() - 1) / options.gradientAccumulation());
        LearningRateSchedule schedule = LearningRateSchedule.of(options.learningRate(), options.warmupSteps(),
                totalSteps, options.decay());
        Set<String> decayed = trainable.parameters().keySet().stream().filter(TrainableWeights::decays)
                .collect(Collectors.toSet());
        ScoreRange range = examples.get(0).kind() == TrainingExample.Kind.SCORED_PAIR
                ? ScoreRange.spanning(examples) : null;
        Map<String, Double> devScores = new LinkedHashMap<>();
        try (AdamW optimizer = new AdamW(trainable.parameters(), decayed,
                new AdamW.Settings(0.9, 0.999, 1e-8, options.weightDecay()))) {
            long step = resume(trainable, optimizer, batches);
            trainable.requireGradients();
            if (run.isPresent() && step == 0) {
                Map<String, String> params = new LinkedHashMap<>(options.params());
                params.put("total_steps", Long.toString(totalSteps)); // what the operator's progress counts towards
                run.get().logParams(params);
            }
            while (step < totalSteps) {
                long stepStart = System.nanoTime();
                // dropout masks come from the engine's RNG: seeding it per step makes a resumed run draw the same
                Engine.getInstance().setRandomSeed((int) (options.seed() * 31 + step));
                trainable.setTraining(true);
                StepLoss loss = new StepLoss();
                for (int micro = 0; micro < options.gradientAccumulation(); micro++) {
                    accumulate(encoder, batches.next(), range, loss, step);
                }
                trainable.setTraining(false);
                double gradNorm = GradientClipping.clipByGlobalNorm(trainable.parameters().values(),
                        options.maxGradNorm());
                double lr = schedule.at(step);
                optimizer.step(lr);
                optimizer.zeroGradients();
                step++;
                double seconds = (System.nanoTime() - stepStart) / 1e9;
                double tokensPerSecond = loss.tokens / seconds;
                stepsRun++;
                stepSeconds += seconds;
                if (Double.isNaN(firstLoss)) {
                    firstLoss = loss.total;
                }
                lastLoss = loss.total;
                report(step, totalSteps, loss, lr, gradNorm, tokensPerSecond);
                boolean last = step == totalSteps;
                if ((options.evalEvery() > 0 && step % options.evalEvery() == 0) || last) {
                    devScores = evaluate(devSets, step);
                }
                if (step % options.checkpointEvery() == 0 || last) {
                    Checkpoint checkpoint = new Checkpoint(step, batches.cursor(), options.configDigest(),
                            trainable.export(), optimizer.state());
                    Path saved;
                    try {
                        saved = checkpoint.save(options.checkpointDir(), options.keepCheckpoints());
                    } catch (IOException e) {
                        throw new IOException("writing the checkpoint of step " + step + " into "
                                + options.checkpointDir() + " failed (" + e.getMessage() + "); earlier"
                                + " checkpoints are untouched", e);
                    }
                    mirror(saved);
                }
            }
        }
        return devScores;
    }

    /** Copies a checkpoint to the run; a failure costs only the copy (the local checkpoint is intact). */
    private void mirror(Path checkpoint) {
        if (mirror.isEmpty()) {
            return;
        }
        try {
            mirror.get().upload(checkpoint);
        } catch (IOException | RuntimeException e) {
            log.printf("warning: checkpoint %s not copied to run %s (%s); a new pod would resume from an earlier"
                    + " one%n", checkpoint.getFileName(), run.orElseThrow().runId(), e.getMessage());
        }
    }

    /**
     * Loads the newest checkpoint of this configuration, if any: a local one, else the run's copy (a fresh pod of the
     * same run); returns the number of steps already taken.
     */
    private long resume(TrainableWeights trainable, AdamW optimizer, TrainingBatches batches) throws IOException {
        Optional<Checkpoint> latest = Checkpoint.latest(options.checkpointDir());
        if (latest.isEmpty() && mirror.isPresent()) {
            Optional<Path> restored = mirror.get().restoreInto(options.checkpointDir());
            restored.ifPresent(dir -> log.printf("checkpoint %s downloaded from run %s%n", dir.getFileName(),
                    run.orElseThrow().runId()));
            latest = restored.map(Checkpoint::load);
        }
        if (latest.isEmpty()) {
            return 0;
        }
        Checkpoint checkpoint = latest.get();
        if (!checkpoint.configDigest().equals(options.configDigest())) {
            throw new IllegalArgumentException("checkpoint in " + options.checkpointDir() + " was written by a run"
                    + " with other settings; use another --checkpoint-dir (or --out) or delete it");
        }
        trainable.load(checkpoint.trainable());
        optimizer.load(checkpoint.optimizer());
        batches.seek(checkpoint.cursor());
        log.printf("resuming from the checkpoint of step %d%n", checkpoint.step());
        return checkpoint.step();
    }

    /** Loss parts and token count summed over the micro-batches of one step. */
    private static final class StepLoss {
        final Map<String, Double> parts = new LinkedHashMap<>();
        double total;
        long tokens;
    }

    private void accumulate(BatchEncoder encoder, TrainingBatches.Batch batch, ScoreRange range, StepLoss loss,
            long step) {
        List<TrainingExample> rows = batch.examples();
        if (rows.size() < 2) {
            return; // one example compares with nothing: no signal, so no gradient
        }
        int b = rows.size();
        List<String> texts = new ArrayList<>(3 * b);
        rows.forEach(e -> texts.add(e.text()));
        rows.forEach(e -> texts.add(e.partner()));
        boolean triplets = rows.get(0).kind() == TrainingExample.Kind.TRIPLET;
        if (triplets) {
            rows.forEach(e -> texts.add(e.negative().orElseThrow()));
        }
        NDManager base = encoder.manager();
        try (NDManager scope = base.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray embeddings = encoder.encode(scope, texts); // texts are distinct: TrainingBatches dedupes
            NDArray anchors = embeddings.get(new NDIndex("0:" + b));
            NDArray partners = embeddings.get(new NDIndex(b + ":" + 2 * b));
            LossValue value = switch (rows.get(0).kind()) {
                case SCORED_PAIR -> options.objective().scoredPairs(anchors, partners,
                        scope.create(rows.stream().mapToDouble(e -> e.score().orElseThrow()).toArray())
                                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false), range);
                case POSITIVE_PAIR -> options.objective().pairs(anchors, partners);
                case TRIPLET -> options.objective().triplets(anchors, partners,
                        embeddings.get(new NDIndex(2 * b + ":" + 3 * b)));
            };
            double total = value.total().getFloat();
            if (!Double.isFinite(total)) {
                throw new TrainingDivergedException(step + 1, value.toDoubles());
            }
            // DJL adds gradients up across collectors until AdamW zeroes them: scaling each micro-batch's loss by
            // 1/accumulation makes the step's gradient the mean over its micro-batches
            NDArray scaled = value.total().div(scope.create((float) options.gradientAccumulation()));
            collector.backward(scaled);
            loss.total += total / options.gradientAccumulation();
            value.parts().forEach((k, v) -> loss.parts.merge(k, (double) v.getFloat() / options.gradientAccumulation(),
                    Double::sum));
            loss.tokens += encoder.tokenCount(texts);
        }
    }

    private void report(long step, long totalSteps, StepLoss loss, double lr, double gradNorm, double tokensPerSecond) {
        if (run.isPresent()) {
            TrackedRun r = run.get();
            r.logMetric("loss", loss.total, step);
            loss.parts.forEach((k, v) -> r.logMetric("loss_" + k, v, step));
            r.logMetric("lr", lr, step);
            r.logMetric("grad_norm", gradNorm, step);
            r.logMetric("tokens_per_s", tokensPerSecond, step);
        }
        if (step % options.logEvery() == 0 || step == totalSteps) {
            String parts = loss.parts.entrySet().stream().map(e -> String.format("%s %.4f", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", "));
            log.printf("step %d/%d  loss %.4f (%s)  lr %.2e  grad-norm %.3f  %.0f tokens/s%n", step, totalSteps,
                    loss.total, parts, lr, gradNorm, tokensPerSecond);
            log.flush();
        }
    }

    private Map<String, Double> evaluate(List<DevSet> devSets, long step) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (DevSet dev : devSets) {
            float[][] vectors = dev.encoder().embed(dev.pairs().sentences(), options.embedding().batchSize());
            double spearman = 100 * Correlation.spearman(dev.data().scores(), dev.pairs().cosines(vectors));
            scores.put(dev.name(), spearman);
            run.ifPresent(r -> r.logMetric("dev_" + dev.name() + "_spearman", spearman, step));
            log.printf("step %d  dev %s spearman %.2f%n", step, dev.name(), spearman);
        }
        return scores;
    }

    private ObjectNode writePackage(TrainableWeights trainable, Optional<LoraConfig> lora, List<TrainingExample> examples,
            Map<String, Double> devScores, double seconds) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode summary = json.createObjectNode();
        summary.put("examples", examples.size());
        summary.put("seconds", Math.round(seconds * 10) / 10.0);
        summary.put("first_loss", firstLoss);
        summary.put("final_loss", lastLoss);
        summary.put("mean_step_seconds", stepsRun == 0 ? Double.NaN : stepSeconds / stepsRun);
        summary.set("params", json.valueToTree(options.params()));
        summary.set("dev_spearman", json.valueToTree(devScores));
        try (LlamaCheckpoint checkpoint = LlamaCheckpoint.open(options.model())) {
            String name = options.out().toAbsolutePath().getFileName().toString();
            String base = ModelPackage.bundleBase(checkpoint, options.out());
            ModelPackage pkg = new ModelPackage(name, base, checkpoint.sha256(),
                    checkpoint.config(), options.embedding().recipe(), options.precision(), lora,
                    checkpoint.config().numLayers() - options.fullTuneLayers(), summary);
            pkg.write(options.out(), trainable.export(), checkpoint.tokenizerJson());
        }
        log.printf("model package written to %s%n", options.out());
        if (run.isPresent()) {
            devScores.forEach((name, score) -> run.get().logMetric("final_dev_" + name + "_spearman", score, 0));
            // the manifest last, as on disk (the package's checkpoints stay behind)
            run.get().uploadArtifacts(options.out().resolve(ModelPackage.BUNDLED_BASE),
                    "model/" + ModelPackage.BUNDLED_BASE);
            for (String file : List.of(ModelPackage.WEIGHTS, ModelPackage.TOKENIZER, ModelPackage.MANIFEST)) {
                run.get().uploadArtifact(options.out().resolve(file), "model/" + file);
            }
        }
        return summary;
    }

    private static Set<String> texts(List<TrainingExample> examples) {
        Set<String> texts = new LinkedHashSet<>();
        for (TrainingExample e : examples) {
            texts.add(e.text());
            texts.add(e.partner());
            e.negative().ifPresent(texts::add);
        }
        return texts;
    }
}
