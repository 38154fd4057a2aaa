package ai.bellm.embed;

import ai.bellm.model.DecoderLayer;
import ai.bellm.model.LlamaCheckpoint;
import ai.bellm.model.LlamaConfig;
import ai.bellm.model.LoraConfig;
import ai.bellm.model.Precision;
import ai.bellm.recipe.EmbeddingRecipe;
import ai.bellm.recipe.Pooling;
import ai.bellm.recipe.PromptTemplate;
import ai.bellm.weights.SafetensorsDtype;
import ai.bellm.weights.SafetensorsWriter;
import ai.bellm.weights.Tensor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A trained BeLLM model as a directory: {@code bellm-model.json} (this record), the trained weights as safetensors
 * (adapters and/or tuned layers, see {@link ai.bellm.model.TrainableWeights}) and the tokenizer. The base weights are
 * named by path and SHA-256, so a wrong base is caught on load. A package that {@link #bundleBase bundles} its base
 * holds it under {@code base/} and names it relatively: it is self-contained, so a registry's copy loads anywhere
 * (an embedding service downloads it from MLflow and needs no volume of the training pod).
 *
 * @param basePath the base model; a relative path is relative to the package directory
 * @param recipe how the model was trained to embed, and so how it embeds unless told otherwise
 * @param precision how it stores its projections to embed unless told otherwise (training always runs in F32)
 * @param lora the adapters' settings, if adapters were trained
 * @param fullTuneFrom first fully tuned layer ({@code config.numLayers()} for none)
 * @param training free-form summary of the run (steps, losses, data, scores)
 */
public record ModelPackage(
        String name,
        String basePath,
        String baseSha256,
        LlamaConfig config,
        EmbeddingRecipe recipe,
        Precision precision,
        Optional<LoraConfig> lora,
        int fullTuneFrom,
        JsonNode training) {

    public static final String MANIFEST = "bellm-model.json";
    public static final String WEIGHTS = "trained.safetensors";
    public static final String TOKENIZER = "tokenizer.json";
    private static final String FORMAT = "bellm-model/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where {@link #bundleBase} puts the base checkpoint's files, inside the package directory. */
    public static final String BUNDLED_BASE = "base";

    /**
     * Puts the files of {@code base} into {@code dir/base} (hard links where the file system allows, else copies)
     * and returns the base path to record: relative to {@code dir}.
     */
    public static String bundleBase(LlamaCheckpoint base, Path dir) throws IOException {
        Path target = dir.resolve(BUNDLED_BASE);
        Files.createDirectories(target);
        boolean singleFile = Files.isRegularFile(base.path());
        for (Path file : base.files()) {
            Path relative = singleFile ? file.getFileName() : base.path().relativize(file);
            Path copy = target.resolve(relative.toString());
            Files.createDirectories(copy.getParent());
            Files.deleteIfExists(copy);
            try {
                Files.createLink(copy, file.toRealPath());
            } catch (IOException | UnsupportedOperationException e) { // another file system, or a read-only volume
                Files.copy(file, copy);
            }
        }
        return singleFile ? BUNDLED_BASE + "/" + base.path().getFileName() : BUNDLED_BASE;
    }

    public static boolean isPackage(Path path) {
        return Files.isRegularFile(path.resolve(MANIFEST));
    }

    /** The base model's location: absolute as recorded, or relative to the package directory. */
    public Path resolveBase(Path packageDir) {
        Path base = Path.of(basePath);
        return base.isAbsolute() ? base : packageDir.resolve(base).normalize();
    }

    /**
     * Writes the whole package into {@code dir}: trained weights, tokenizer, then the manifest last, so that a
     * directory with a manifest is always complete.
     */
    public void write(Path dir, Map<String, Tensor> trainedWeights, String tokenizerJson) throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve(WEIGHTS), trainedWeights, SafetensorsDtype.F32,
                Map.of("format", "pt", "bellm.package", name));
        Files.writeString(dir.resolve(TOKENIZER), tokenizerJson);
        writeManifest(dir);
    }

    private void writeManifest(Path dir) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("name", name);
        ObjectNode base = root.putObject("base");
        base.put("path", basePath);
        base.put("sha256", baseSha256);
        root.set("config", config.toHfConfig(JSON));
        ObjectNode settings = root.putObject("embedding");
        if (recipe.bidirectionalFrom().isPresent()) {
            settings.put("bidirectional_from", recipe.bidirectionalFrom().getAsInt());
        } else {
            settings.putNull("bidirectional_from");
        }
        settings.put("pooling", recipe.pooling().cliName());
        settings.put("prompt", recipe.prompt().template());
        settings.put("max_tokens", recipe.maxTokens());
        settings.put("precision", precision.cliName());
        ObjectNode weights = root.putObject("weights");
        weights.put("file", WEIGHTS);
        weights.put("full_tune_from", fullTuneFrom);
        if (lora.isPresent()) {
            LoraConfig c = lora.get();
            ObjectNode l = weights.putObject("lora");
            l.put("rank", c.rank());
            l.put("alpha", c.alpha());
            l.put("dropout", c.dropout());
            var targets = l.putArray("targets");
            c.targets().stream().sorted().forEach(p -> targets.add(p.name().toLowerCase(java.util.Locale.ROOT)));
            l.put("first_layer", c.firstLayer());
            l.put("last_layer", c.lastLayer());
        } else {
            weights.putNull("lora");
        }
        root.put("tokenizer", TOKENIZER);
        root.set("training", training == null ? JSON.createObjectNode() : training);
        Path tmp = dir.resolve(MANIFEST + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
        Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads {@code dir/bellm-model.json}; a malformed manifest fails with a message naming the file and field. */
    public static ModelPackage read(Path dir) {
        Path file = dir.resolve(MANIFEST);
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (!FORMAT.equals(root.path("format").asText())) {
                throw new IllegalArgumentException(file + ": unknown package format '" + root.path("format").asText()
                        + "' (expected " + FORMAT + ")");
            }
            JsonNode settings = required(root, "embedding", file);
            JsonNode k = settings.path("bidirectional_from");
            EmbeddingRecipe d = EmbeddingRecipe.DEFAULT;
            EmbeddingRecipe recipe = new EmbeddingRecipe(
                    new PromptTemplate(settings.path("prompt").asText(d.prompt().template())),
                    Pooling.parse(settings.path("pooling").asText(d.pooling().cliName())),
                    k.isNumber() ? OptionalInt.of(k.asInt()) : OptionalInt.empty(),
                    settings.path("max_tokens").asInt(d.maxTokens()));
            Precision precision = Precision.parse(settings.path("precision").asText(Precision.F32.cliName()));
            JsonNode weights = required(root, "weights", file);
            JsonNode l = weights.path("lora");
            Optional<LoraConfig> lora = Optional.empty();
            if (l.isObject()) {
                Set<DecoderLayer.Proj> targets = EnumSet.noneOf(DecoderLayer.Proj.class);
                l.path("targets").forEach(t -> targets.addAll(LoraConfig.parseTargets(t.asText())));
                lora = Optional.of(new LoraConfig(l.path("rank").asInt(), (float) l.path("alpha").asDouble(),
                        (float) l.path("dropout").asDouble(), targets, l.path("first_layer").asInt(),
                        l.path("last_layer").asInt()));
            }
            LlamaConfig config = LlamaConfig.fromHfConfig(required(root, "config", file));
            JsonNode base = required(root, "base", file);
            return new ModelPackage(root.path("name").asText(dir.getFileName().toString()),
                    required(base, "path", file).asText(), required(base, "sha256", file).asText(), config,
                    recipe, precision, lora, weights.path("full_tune_from").asInt(config.numLayers()),
                    root.path("training"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model package manifest " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field, Path file) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(file + ": missing field '" + field + "'");
        }
        return value;
    }
}
