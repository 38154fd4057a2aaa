package ai.bellm.serve;

import ai.bellm.embed.EmbeddingModel;
import ai.bellm.embed.EmbeddingOptions;
import ai.bellm.embed.SentenceEmbedder;
import ai.bellm.model.Precision;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model in service, with the version it was loaded as. Users take a {@link Lease}; a retired model is closed
 * (its native memory freed) when its last lease ends, so a batch never loses its model half-way.
 */
public final class LoadedModel {

    private final EmbeddingModel model;
    private final String name;
    private final String version;
    private final String source;
    private final Instant loadedAt;
    private final EmbeddingOptions options;
    // leases held; -1 once closed, so no lease can be taken on a closed model
    private final AtomicInteger leases = new AtomicInteger();
    private volatile boolean retired;

    /**
     * @param options the model's own settings with the service's limits applied (max tokens, truncation, batch size,
     *                normalization)
     */
    public LoadedModel(EmbeddingModel model, String name, String version, String source, EmbeddingOptions options) {
        this.model = model;
        this.name = name;
        this.version = version;
        this.source = source;
        this.loadedAt = Instant.now();
        this.options = options;
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    /** Where it was loaded from: a models:/ URI or a local path. */
    public String source() {
        return source;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public int dimension() {
        return model.model().config().hiddenSize();
    }

    public Precision precision() {
        return model.model().precision();
    }

    public EmbeddingOptions options() {
        return options;
    }

    /** An embedder with the service's settings, or with per-request normalization and truncation. */
    public SentenceEmbedder embedder(boolean normalize, boolean truncate) {
        return model.embedder(options.withNormalize(normalize).withMaxTokens(options.maxTokens(), !truncate));
    }

    public SentenceEmbedder embedder() {
        return model.embedder(options);
    }

    /** A lease, or null if the model is closed already. */
    Lease tryLease() {
        for (int n = leases.get(); n >= 0; n = leases.get()) {
            if (leases.compareAndSet(n, n + 1)) {
                return new Lease(this);
            }
        }
        return null;
    }

    /** No new user will take it; closes now if nobody holds a lease, else when the last lease ends. */
    void retire() {
        retired = true;
        closeIfUnused();
    }

    private void release() {
        if (leases.decrementAndGet() == 0 && retired) {
            closeIfUnused();
        }
    }

    private void closeIfUnused() {
        if (leases.compareAndSet(0, -1)) {
            model.close();
        }
    }

    boolean isClosed() {
        return leases.get() < 0;
    }

    /** The right to use a model until {@link #close()}. */
    public static final class Lease implements AutoCloseable {
        private final LoadedModel model;
        private boolean closed;

        private Lease(LoadedModel model) {
            this.model = model;
        }

        public LoadedModel model() {
            return model;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                model.release();
            }
        }
    }
}
