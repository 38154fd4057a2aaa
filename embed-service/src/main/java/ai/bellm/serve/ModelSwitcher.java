package ai.bellm.serve;

import ai.bellm.events.ModelPromoted;
import ai.bellm.tracking.ModelVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads models in the background, one at a time, and puts them in service: the first one at start (retried with
 * backoff until it loads), then, on each promotion of the followed alias, the version the registry names for it now.
 * Promotions of other models or aliases are ignored and counted; what an event names (its version, its URI) is never
 * loaded as such, so a late, replayed or forged event cannot pick the model. A failed switch keeps the model in service.
 */
public final class ModelSwitcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSwitcher.class);

    private final ModelHolder holder;
    private final ModelLoader loader;
    private final ServiceMetrics metrics;
    private final FollowedAlias followed; // null when serving a local path: promotions are ignored then
    private final ExecutorService loads = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bellm-model-loader");
        t.setDaemon(true);
        return t;
    });
    private volatile Throwable death;

    public ModelSwitcher(ModelHolder holder, ModelLoader loader, ServiceMetrics metrics, FollowedAlias followed) {
        this.holder = holder;
        this.loader = loader;
        this.metrics = metrics;
        this.followed = followed;
    }

    /** Loads the first model in the background, retrying every failure with backoff until it is in service. */
    public Future<?> loadInitial(Supplier<LoadedModel> load, Duration initialBackoff, Duration maxBackoff) {
        return submit(() -> {
            long backoff = initialBackoff.toMillis();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    putInService(load.get());
                    return;
                } catch (RuntimeException e) {
                    metrics.modelLoadFailed();
                    holder.recordFailure(new ModelHolder.LoadFailure("initial", e.toString(), Instant.now()));
                    LOG.warn("model not loaded, retrying in {} ms: {}", backoff, e.toString());
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    return;
                }
                backoff = Math.min(backoff * 2, maxBackoff.toMillis());
            }
        });
    }

    /** Looks up the followed alias in the background and switches to the version it names, if that is another. */
    public Future<?> onPromoted(ModelPromoted event) {
        String mismatch = followed == null ? "local-model" : followed.mismatch(event);
        if (mismatch != null) {
            LOG.info("ignoring promotion of {}@{} to version {} ({})", event.model(), event.alias(), event.version(),
                    mismatch);
            metrics.promotionIgnored(mismatch);
            return CompletableFuture.completedFuture(null);
        }
        return submit(() -> switchToAliasVersion("the promotion of version " + event.version()));
    }

    /**
     * Looks the followed alias up again in the background and switches if it names another version than the one in
     * service: for promotions that may have been missed (the events listener reached Kafka after the first load).
     * Nothing happens before a first model is in service, whose load resolves the alias itself.
     */
    public Future<?> followAlias() {
        if (followed == null) {
            return CompletableFuture.completedFuture(null);
        }
        return submit(() -> {
            if (holder.current().isPresent()) {
                switchToAliasVersion("a look-up of " + followed.uri());
            }
        });
    }

    /** On the loader thread: loads the version the followed alias names now, unless it is in service. */
    private void switchToAliasVersion(String trigger) {
        String source = followed.uri();
        try {
            ModelVersion version = loader.resolve(source);
            source = ModelLoader.uri(version);
            boolean inService = holder.current().map(m -> m.name().equals(version.name())
                    && m.version().equals(version.version())).orElse(false);
            if (!inService) {
                putInService(loader.load(version));
            }
        } catch (RuntimeException e) {
            metrics.modelLoadFailed();
            holder.recordFailure(new ModelHolder.LoadFailure(source, e.toString(), Instant.now()));
            LOG.error("{} not loaded after {}, keeping {}: {}", source, trigger,
                    holder.current().map(m -> m.name() + " version " + m.version()).orElse("none"), e.toString(), e);
        }
    }

    /**
     * What killed a load, if anything: an {@link Error} (out of memory, a native library that failed to link) is not
     * retried, and no later promotion may be loaded after it, so the service is dead.
     */
    public Optional<Throwable> death() {
        return Optional.ofNullable(death);
    }

    /** A load on the loader thread; an {@link Error} in it is the loader's death, not only that load's failure. */
    private Future<?> submit(Runnable load) {
        return loads.submit(() -> {
            try {
                load.run();
            } catch (Error e) {
                death = e;
                LOG.error("model loader died: no model can be loaded any more", e);
                throw e;
            }
        });
    }

    private void putInService(LoadedModel model) {
        holder.switchTo(model);
        metrics.modelInService(model);
        LOG.info("serving model {} version {} (dim {}) from {}", model.name(), model.version(), model.dimension(),
                model.source());
    }

    @Override
    public void close() throws InterruptedException {
        loads.shutdownNow();
        loads.awaitTermination(30, TimeUnit.SECONDS);
    }
}
