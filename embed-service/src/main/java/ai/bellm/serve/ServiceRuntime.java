package ai.bellm.serve;

import ai.bellm.model.Precision;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.TrackingConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the service's parts: the model (registry or local path, loaded in the background), the
 * model-events listener and the Kafka pipeline (when {@code bellm.kafka.bootstrap-servers} is set).
 */
@ApplicationScoped
public class ServiceRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);

    private final ServiceConfig config;
    private final ModelHolder models = new ModelHolder();
    private final ServiceMetrics metrics;
    private MlflowTracking tracking;
    private ModelSwitcher switcher;
    private ModelEventsListener events;
    private EmbeddingPipeline pipeline;

    ServiceRuntime(ServiceConfig config, MeterRegistry registry) {
        this.config = config;
        this.metrics = new ServiceMetrics(registry);
    }

    @Produces
    @Singleton
    ModelHolder models() {
        return models;
    }

    @Produces
    @Singleton
    ServiceMetrics metrics() {
        return metrics;
    }

    void start(@Observes StartupEvent event) {
        ServiceConfig.ModelSettings model = config.model();
        Optional<Precision> precision = model.precision().map(Precision::parse);
        ModelLoader loader;
        Supplier<LoadedModel> initial;
        FollowedAlias followed = model.registryName().map(name -> new FollowedAlias(name, model.alias())).orElse(null);
        if (followed != null) {
            tracking = new MlflowTracking(model.trackingUri().map(TrackingConfig::of).orElseGet(TrackingConfig::fromEnv));
            loader = new ModelLoader(tracking.registry(), model.cacheDir().orElseGet(ServiceRuntime::tempCache),
                    ModelLoader.limits(config.embedding()), precision);
            initial = () -> loader.loadRegistered(followed.uri());
        } else {
            Path path = model.path().orElseThrow(() -> new IllegalStateException(
                    "set bellm.model.registry-name (MLflow) or bellm.model.path (local model)"));
            loader = new ModelLoader(null, null, ModelLoader.limits(config.embedding()), precision);
            initial = () -> loader.loadLocal(path, path.getFileName().toString());
        }
        switcher = new ModelSwitcher(models, loader, metrics, followed);
        config.kafka().bootstrapServers().ifPresentOrElse(bootstrap -> {
            PipelineSettings settings = PipelineSettings.of(config);
            if (followed != null) {
                events = new ModelEventsListener(bootstrap, config.kafka().eventsTopic(),
                        settings.consumerOverrides(), switcher::onPromoted);
                events.start(switcher::followAlias); // Kafka may come later: then the alias is looked up again
            }
            pipeline = new EmbeddingPipeline(settings, models, metrics);
            pipeline.start();
        }, () -> LOG.info("bellm.kafka.bootstrap-servers not set: REST only"));
        switcher.loadInitial(initial, model.retryInitial(), model.retryMax());
    }

    /** The background parts that have died, each with what killed it (see {@link ServiceLiveness}). */
    Map<String, Throwable> deaths() {
        Map<String, Throwable> deaths = new LinkedHashMap<>();
        if (pipeline != null) {
            pipeline.death().ifPresent(e -> deaths.put("pipeline", e));
        }
        if (events != null) {
            events.death().ifPresent(e -> deaths.put("model-events", e));
        }
        if (switcher != null) {
            switcher.death().ifPresent(e -> deaths.put("model-loader", e));
        }
        return deaths;
    }

    /** Drains the pipeline (finishes and commits its batch) before the model goes. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (pipeline != null) {
            pipeline.close();
        }
        if (events != null) {
            events.close();
        }
        if (switcher != null) {
            switcher.close();
        }
        if (tracking != null) {
            tracking.close();
        }
        models.clear();
    }

    private static Path tempCache() {
        try {
            return Files.createTempDirectory("bellm-models");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
