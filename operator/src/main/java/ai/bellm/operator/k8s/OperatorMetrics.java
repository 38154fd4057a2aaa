package ai.bellm.operator.k8s;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.Phase;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bellm_operator_reconciles_total{outcome}}, {@code bellm_operator_reconcile_seconds} and
 * {@code bellm_operator_experiments{phase}} (counted in the operator's cache of the resources, so deleted ones leave).
 */
public final class OperatorMetrics {
    private final MeterRegistry registry;
    private final Timer duration;
    private final AtomicReference<IndexedResourceCache<BeLLMExperiment>> cache = new AtomicReference<>();

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duration = Timer.builder("bellm.operator.reconcile").description("Time of one reconcile")
                .register(registry);
        for (Phase phase : Phase.values()) {
            Gauge.builder("bellm.operator.experiments", cache, c -> count(c.get(), phase))
                    .description("Experiments per phase").tag("phase", phase.name()).register(registry);
        }
    }

    public Timer.Sample start() {
        return Timer.start(registry);
    }

    /** @param outcome {@code ok}, {@code retry} (MLflow/Kafka unreachable) or {@code error} */
    public void reconciled(Timer.Sample sample, String outcome) {
        sample.stop(duration);
        registry.counter("bellm.operator.reconciles", "outcome", outcome).increment();
    }

    void watch(IndexedResourceCache<BeLLMExperiment> primaryCache) {
        cache.set(primaryCache);
    }

    private static double count(IndexedResourceCache<BeLLMExperiment> cache, Phase phase) {
        if (cache == null) {
            return 0;
        }
        return cache.list().filter(e -> (e.getStatus() == null || e.getStatus().phase == null ? Phase.Pending
                : e.getStatus().phase) == phase).count();
    }
}
