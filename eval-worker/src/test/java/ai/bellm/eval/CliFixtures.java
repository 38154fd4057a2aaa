package ai.bellm.eval;

import ai.bellm.data.ScoredPair;
import ai.bellm.embed.EmbeddingModel;
import ai.bellm.embed.ModelPackage;
import ai.bellm.embed.SentenceEmbedder;
import ai.bellm.metrics.Vectors;
import ai.bellm.model.LlamaCheckpoint;
import ai.bellm.model.LlamaConfig;
import ai.bellm.model.Precision;
import ai.bellm.model.TinyModelFactory;
import ai.bellm.model.TrainableWeights;
import ai.bellm.recipe.EmbeddingRecipe;
import ai.bellm.weights.Tensor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import picocli.CommandLine;

/** Invented STS data, tiny models and a way to run the CLI in-process, for the eval-worker tests. */
final class CliFixtures {

    static final long SEED = 7;

    private static final String[] SUBJECTS = {"A man", "A woman", "The child", "Two dogs", "An old cat", "The band"};
    private static final String[] VERBS = {"is playing", "is watching", "is eating", "carries", "paints"};
    private static final String[] OBJECTS = {"a guitar.", "the ball.", "some bread.", "a red box.", "the fence."};

    private CliFixtures() {
    }

    /** The result of one in-process CLI run. */
    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = EvalWorker.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    /**
     * {@code count} pairs over a small pool of sentences, so that sentences recur across pairs (dedupe has work to
     * do); gold scores in 0..5 in steps of 0.2.
     */
    static List<ScoredPair> pairs(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pool.add(SUBJECTS[random.nextInt(SUBJECTS.length)] + " " + VERBS[random.nextInt(VERBS.length)] + " "
                    + OBJECTS[random.nextInt(OBJECTS.length)]);
        }
        List<ScoredPair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pairs.add(new ScoredPair(pool.get(random.nextInt(count / 2)), pool.get(random.nextInt(count)),
                    random.nextInt(26) / 5.0));
        }
        return pairs;
    }

    static long uniqueSentences(List<ScoredPair> pairs) {
        return pairs.stream().flatMap(p -> List.of(p.s1(), p.s2()).stream()).distinct().count();
    }

    /** An STS-B file: tab-separated genre, file, year, id, score, s1, s2. */
    static Path writeStsb(Path file, List<ScoredPair> pairs) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            ScoredPair p = pairs.get(i);
            lines.add(String.join("\t", "main-captions", "MSRvid", "2012test", String.format("%04d", i),
                    Double.toString(p.score()), p.s1(), p.s2()));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines);
        return file;
    }

    /** A SentEval year directory with one pair of STS.input / STS.gs files per subset. */
    static Path writeSentEval(Path dir, Map<String, List<ScoredPair>> subsets) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, List<ScoredPair>> subset : subsets.entrySet()) {
            Files.write(dir.resolve("STS.input." + subset.getKey() + ".txt"),
                    subset.getValue().stream().map(p -> p.s1() + "\t" + p.s2()).toList());
            Files.write(dir.resolve("STS.gs." + subset.getKey() + ".txt"),
                    subset.getValue().stream().map(p -> Double.toString(p.score())).toList());
        }
        return dir;
    }

    static Path tinyModel(Path dir) throws IOException {
        return TinyModelFactory.writeHfDirectory(dir, SEED);
    }

    /** A model package on {@code base} with its top layer as the trained weights, and {@code recipe} stored in it. */
    static Path modelPackage(Path base, Path dir, EmbeddingRecipe recipe) throws IOException {
        try (EmbeddingModel model = EmbeddingModel.load(base); LlamaCheckpoint checkpoint = LlamaCheckpoint.open(base)) {
            int top = model.model().numLayers() - 1;
            Map<String, Tensor> trained = TrainableWeights.attach(model.model(), Optional.empty(), top, 1).export();
            new ModelPackage("tiny-package", base.toString(), checkpoint.sha256(), checkpoint.config(), recipe,
                    Precision.F32, Optional.empty(), top, new ObjectMapper().createObjectNode())
                    .write(dir, trained, checkpoint.tokenizerJson());
        }
        return dir;
    }

    /** The tiny model of {@link #tinyModel} cut to its first {@code layers} layers: same weights, fewer layers. */
    static Path truncatedTinyModel(Path dir, int layers) throws IOException {
        LlamaConfig full = TinyModelFactory.tinyConfig();
        LlamaConfig cut = full.withLayers(layers);
        Map<String, Tensor> weights = new LinkedHashMap<>(TinyModelFactory.randomWeights(full, SEED));
        weights.keySet().removeIf(name -> name.startsWith("model.layers.")
                && Integer.parseInt(name.split("\\.")[2]) >= layers);
        return TinyModelFactory.writeHfDirectory(dir, cut, weights);
    }

    /**
     * Cosine similarity of each pair computed the plain way, independently of {@link StsScorer}: every s1 and every
     * s2 embedded (no dedupe), with the model's default options.
     */
    static double[] directCosines(Path model, List<ScoredPair> pairs) {
        try (EmbeddingModel loaded = EmbeddingModel.load(model)) {
            SentenceEmbedder embedder = loaded.embedder(loaded.defaults());
            float[][] a = embedder.embed(pairs.stream().map(ScoredPair::s1).collect(Collectors.toList()));
            float[][] b = embedder.embed(pairs.stream().map(ScoredPair::s2).collect(Collectors.toList()));
            double[] cosines = new double[pairs.size()];
            for (int i = 0; i < cosines.length; i++) {
                cosines[i] = Vectors.cosine(a[i], b[i]);
            }
            return cosines;
        }
    }

    static double[] gold(List<ScoredPair> pairs) {
        return pairs.stream().mapToDouble(ScoredPair::score).toArray();
    }
}
