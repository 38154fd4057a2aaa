package ai.bellm.serve;

import ai.bellm.events.ModelPromoted;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads models in the background, one at a time, and puts them in service: the first one at start (retried with
 * backoff until it loads), then each promoted version. A failed promotion keeps the model in service.
 */
public final class ModelSwitcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSwitcher.class);

    private final ModelHolder holder;
    private final ModelLoader loader;
    private final ServiceMetrics metrics;
    private final String registryName; // null when serving a local path: promotions are ignored then
    private final ExecutorService loads = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bellm-model-loader");
        t.setDaemon(true);
        return t;
    });
    private volatile Throwable death;

    public ModelSwitcher(ModelHolder holder, ModelLoader loader, ServiceMetrics metrics, String registryName) {
        this.holder = holder;
        this.loader = loader;
        this.metrics = metrics;
        this.registryName = registryName;
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

    /** Loads the promoted version in the background and switches to it (between batches). */
    public Future<?> onPromoted(ModelPromoted event) {
        if (registryName == null || !registryName.equals(event.model())) {
            LOG.debug("ignoring promotion of {} version {}", event.model(), event.version());
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return submit(() -> {
            boolean inService = holder.current().map(m -> m.name().equals(event.model())
                    && m.version().equals(event.version())).orElse(false);
            if (inService) {
                return;
            }
            try {
                putInService(loader.loadRegistered(event.uri()));
            } catch (RuntimeException e) {
                metrics.modelLoadFailed();
                holder.recordFailure(new ModelHolder.LoadFailure(event.uri(), e.toString(), Instant.now()));
                LOG.error("promoted model {} not loaded, keeping {}: {}", event.uri(),
                        holder.current().map(m -> m.name() + " version " + m.version()).orElse("none"), e.toString(), e);
            }
        });
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
