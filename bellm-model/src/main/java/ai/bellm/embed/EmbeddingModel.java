package ai.bellm.embed;

import ai.bellm.model.LlamaCheckpoint;
import ai.bellm.model.LlamaModel;
import ai.bellm.model.Precision;
import ai.bellm.model.TrainableWeights;
import ai.bellm.recipe.BaseModelLocation;
import ai.bellm.recipe.EmbeddingRecipe;
import ai.bellm.tokenizer.HfTokenizer;
import ai.bellm.tokenizer.TextTokenizer;
import ai.bellm.weights.SafetensorsFile;
import ai.bellm.weights.Tensor;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A model ready to embed: the decoder's weights, its tokenizer and the embedding settings that go with it.
 * Loads a GGUF file, a Hugging Face LLaMA or Qwen2 directory ({@code config.json}, safetensors,
 * {@code tokenizer.json}) or a trained {@link ModelPackage} (its base model, then its trained weights on top).
 */
public final class EmbeddingModel implements AutoCloseable {

    private final String name;
    private final NDManager root;
    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final EmbeddingRecipe recipe;
    private final PromptPrefixCache prefixes;

    private EmbeddingModel(String name, NDManager root, LlamaModel model, TextTokenizer tokenizer,
            EmbeddingRecipe recipe) {
        this.name = name;
        this.root = root;
        this.model = model;
        this.tokenizer = tokenizer;
        this.recipe = recipe;
        this.prefixes = new PromptPrefixCache(model, tokenizer);
    }

    /**
     * Loads a model; a missing, truncated or malformed file fails with an {@link UncheckedIOException} whose message
     * names the file and the problem.
     */
    public static EmbeddingModel load(Path path) {
        return load(path, Optional.empty());
    }

    /**
     * Loads a model; for a package, {@code baseModel} says where its base weights are (default: the recorded path,
     * then {@value BaseModelLocation#ENV}). The base must have the SHA-256 the package was trained on.
     */
    public static EmbeddingModel load(Path path, Optional<Path> baseModel) {
        return load(path, baseModel, Optional.empty());
    }

    /**
     * As {@link #load(Path, Optional)}, storing the projections in {@code precision} (default: a package's own, F32
     * for a base model); a model loaded in BF16 only embeds.
     */
    public static EmbeddingModel load(Path path, Optional<Path> baseModel, Optional<Precision> precision) {
        if (ModelPackage.isPackage(path)) {
            return loadPackage(path, baseModel, precision);
        }
        Precision chosen = precision.orElse(Precision.F32);
        return loadBase(path, path.getFileName().toString(), EmbeddingRecipe.DEFAULT,
                model -> model.storeProjectionsIn(chosen), null, null);
    }

    private static EmbeddingModel loadPackage(Path dir, Optional<Path> baseModel, Optional<Precision> precision) {
        ModelPackage pkg = ModelPackage.read(dir);
        Path base = baseModel.orElseGet(() -> locateBase(pkg, dir));
        Map<String, Tensor> trained = readAll(dir.resolve(ModelPackage.WEIGHTS));
        return loadBase(base, pkg.name(), pkg.recipe(), model -> {
            if (!model.config().equals(pkg.config())) {
                throw new IllegalArgumentException("base model " + base + " has config " + model.config()
                        + ", the package " + dir + " was trained on " + pkg.config());
            }
            TrainableWeights.attach(model, pkg.lora(), pkg.fullTuneFrom(), 0).load(trained);
            model.storeProjectionsIn(precision.orElse(pkg.precision()));
        }, pkg.baseSha256(), HfTokenizer.fromFile(dir.resolve(ModelPackage.TOKENIZER)));
    }

    private static Path locateBase(ModelPackage pkg, Path dir) {
        Path recorded = pkg.resolveBase(dir);
        if (Files.exists(recorded)) {
            return recorded;
        }
        String env = System.getenv(BaseModelLocation.ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        throw new IllegalArgumentException("base model of package " + dir + " not found at " + recorded
                + "; set " + BaseModelLocation.ENV + " to its location");
    }

    /**
     * Opens the base checkpoint, builds the model and applies {@code customize}; with a (non-null)
     * {@code expectedSha256} the weights must have that digest, with a {@code tokenizer} it replaces the checkpoint's.
     */
    private static EmbeddingModel loadBase(Path path, String name, EmbeddingRecipe recipe,
            java.util.function.Consumer<LlamaModel> customize, String expectedSha256, TextTokenizer tokenizer) {
        NDManager root = NDManager.newBaseManager("PyTorch");
        TextTokenizer chosen = tokenizer;
        try (LlamaCheckpoint checkpoint = LlamaCheckpoint.open(path)) {
            if (expectedSha256 != null && !expectedSha256.equals(checkpoint.sha256())) {
                throw new IllegalArgumentException("base model " + path + " (sha256 " + checkpoint.sha256()
                        + ") does not match the package, which was trained on sha256 " + expectedSha256);
            }
            if (chosen == null) {
                chosen = HfTokenizer.fromJson(checkpoint.tokenizerJson());
            }
            LlamaModel model = LlamaModel.fromTensors(checkpoint.config(), n -> read(checkpoint, n), root);
            customize.accept(model);
            return new EmbeddingModel(name, root, model, chosen, recipe);
        } catch (IOException e) {
            close(chosen, root);
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            close(chosen, root);
            throw e;
        }
    }

    private static void close(TextTokenizer tokenizer, NDManager root) {
        if (tokenizer != null) {
            tokenizer.close();
        }
        root.close();
    }

    private static Map<String, Tensor> readAll(Path safetensors) {
        try (SafetensorsFile file = SafetensorsFile.open(safetensors)) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String name : file.tensorNames()) {
                tensors.put(name, file.read(name));
            }
            return tensors;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static Tensor read(LlamaCheckpoint checkpoint, String name) {
        try {
            return checkpoint.tensor(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public LlamaModel model() {
        return model;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** How the model embeds unless told otherwise: a package's own recipe, BeLLM's default for a base model. */
    public EmbeddingRecipe recipe() {
        return recipe;
    }

    /** {@link #recipe()} with the default batch size, truncating over-long texts. */
    public EmbeddingOptions defaults() {
        return EmbeddingOptions.of(recipe);
    }

    /**
     * An embedder with these settings. Embedders of a model share the states of their prompt's opening tokens, computed
     * once, so they assume the weights stay as loaded: training, which changes them, runs its own forwards.
     */
    public SentenceEmbedder embedder(EmbeddingOptions options) {
        return new SentenceEmbedder(model, tokenizer, options, prefixes);
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
        root.close();
    }
}
