package ai.bellm.serve;

import ai.bellm.embed.EmbeddingModel;
import ai.bellm.embed.EmbeddingOptions;
import ai.bellm.model.Precision;
import ai.bellm.tracking.ModelRegistry;
import ai.bellm.tracking.ModelVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** Loads a model from the MLflow registry ({@code models:/...}) or a local path, with the service's limits. */
public final class ModelLoader {

    /** The version of a model loaded from a local path. */
    public static final String LOCAL_VERSION = "local";

    private final ModelRegistry registry; // null when only local paths are served
    private final Path cacheDir;
    private final UnaryOperator<EmbeddingOptions> limits;
    private final Optional<Precision> precision;

    /**
     * @param limits applies the service's settings (max tokens, truncation, batch size, normalization) to a model's
     *               own embedding options
     * @param precision how every model's projections are stored; empty: each model's own (a package's, else F32)
     */
    public ModelLoader(ModelRegistry registry, Path cacheDir, UnaryOperator<EmbeddingOptions> limits,
            Optional<Precision> precision) {
        this.registry = registry;
        this.cacheDir = cacheDir;
        this.limits = limits;
        this.precision = precision;
    }

    /** A loader that loads each model in its own precision. */
    public ModelLoader(ModelRegistry registry, Path cacheDir, UnaryOperator<EmbeddingOptions> limits) {
        this(registry, cacheDir, limits, Optional.empty());
    }

    public static UnaryOperator<EmbeddingOptions> limits(ServiceConfig.EmbeddingSettings settings) {
        return o -> o.withMaxTokens(settings.maxTokens().orElse(o.maxTokens()), !settings.truncate())
                .withBatchSize(settings.maxBatchSize())
                .withNormalize(settings.normalize());
    }

    public LoadedModel loadLocal(Path path, String name) {
        EmbeddingModel model = EmbeddingModel.load(path, Optional.empty(), precision);
        return new LoadedModel(model, name, LOCAL_VERSION, path.toString(), limits.apply(model.defaults()));
    }

    /** Resolves {@code models:/<name>@<alias>} or {@code models:/<name>/<version>}, downloads it and loads it. */
    public LoadedModel loadRegistered(String modelUri) {
        return load(resolve(modelUri));
    }

    /** The registry's version for {@code models:/<name>@<alias>} or {@code models:/<name>/<version>}. */
    public ModelVersion resolve(String modelUri) {
        if (registry == null) {
            throw new IllegalStateException("no MLflow registry configured, cannot load " + modelUri);
        }
        return registry.resolve(modelUri);
    }

    /** Downloads a registered version (once) and loads it. */
    public LoadedModel load(ModelVersion version) {
        Path dir = download(version);
        EmbeddingModel model = EmbeddingModel.load(modelPath(dir), Optional.empty(), precision);
        return new LoadedModel(model, version.name(), version.version(), uri(version), limits.apply(model.defaults()));
    }

    static String uri(ModelVersion version) {
        return "models:/" + version.name() + "/" + version.version();
    }

    /** Each version once into {@code <cache>/<name>/<version>}; a partial download is redone. */
    private Path download(ModelVersion version) {
        Path target = cacheDir.resolve(version.name()).resolve(version.version());
        if (Files.isDirectory(target)) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempDirectory(target.getParent(), version.version() + ".partial-");
            registry.download(version, partial);
            Files.move(partial, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download " + version.name() + " version " + version.version(), e);
        }
    }

    /** A version is an HF directory or package, or a directory holding one GGUF file. */
    static Path modelPath(Path dir) {
        if (Files.exists(dir.resolve("config.json")) || Files.exists(dir.resolve("bellm-model.json"))) {
            return dir;
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> gguf = files.filter(f -> f.getFileName().toString().endsWith(".gguf")).toList();
            return gguf.size() == 1 ? gguf.get(0) : dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
