package ai.bellm.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's meters (Prometheus names in brackets): records embedded and dead-lettered
 * ({@code bellm_records_total{outcome}}), batch sizes ({@code bellm_batch_size}), batch latency from poll to
 * acknowledged output ({@code bellm_batch_latency_seconds}), dead letters by reason ({@code bellm_dlq_records_total}),
 * consumer lag ({@code bellm_consumer_lag}), the version in service ({@code bellm_model_version}, 0 for a local model)
 * failed model loads ({@code bellm_model_load_failures_total}) and promotions ignored because they concern another
 * model or alias ({@code bellm_model_promotions_ignored_total{reason}}); for REST, requests refused by a limit
 * ({@code bellm_rest_rejected_total{reason}}), requests waiting ({@code bellm_rest_queue}) and requests embedded
 * together in one call ({@code bellm_rest_gathered_requests}).
 */
public final class ServiceMetrics {

    private final MeterRegistry registry;
    private final Counter embedded;
    private final DistributionSummary batchSize;
    private final Timer batchLatency;
    private final Counter loadFailures;
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong modelVersion = new AtomicLong(-1);

    public ServiceMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.embedded = records("embedded");
        this.batchSize = DistributionSummary.builder("bellm.batch.size").description("records per batch")
                .publishPercentileHistogram().register(registry);
        this.batchLatency = Timer.builder("bellm.batch.latency")
                .description("from the poll that completed a batch to its outputs being acknowledged")
                .publishPercentileHistogram().register(registry);
        this.loadFailures = Counter.builder("bellm.model.load.failures").description("model loads that failed")
                .register(registry);
        Gauge.builder("bellm.consumer.lag", lag, AtomicLong::get).description("records behind the input topic's end")
                .register(registry);
        Gauge.builder("bellm.model.version", modelVersion, AtomicLong::get)
                .description("registry version of the model in service; 0 for a local model, -1 for none")
                .register(registry);
    }

    private Counter records(String outcome) {
        return Counter.builder("bellm.records").tag("outcome", outcome).description("input records processed")
                .register(registry);
    }

    public void batchDone(int records, int embeddedRecords, Duration latency) {
        embedded.increment(embeddedRecords);
        batchSize.record(records);
        batchLatency.record(latency);
    }

    public void deadLettered(DlqReason reason) {
        records("dead-lettered").increment();
        Counter.builder("bellm.dlq.records").tag("reason", reason.value()).description("records sent to the DLQ")
                .register(registry).increment();
    }

    public void consumerLag(long records) {
        lag.set(records);
    }

    public void modelInService(LoadedModel model) {
        long version;
        try {
            version = Long.parseLong(model.version());
        } catch (NumberFormatException e) {
            version = 0;
        }
        modelVersion.set(version);
    }

    public void modelLoadFailed() {
        loadFailures.increment();
    }

    /** @param reason {@code other-model}, {@code other-alias} or {@code local-model} */
    public void promotionIgnored(String reason) {
        Counter.builder("bellm.model.promotions.ignored").tag("reason", reason)
                .description("promotion events about another model or alias than the one served").register(registry)
                .increment();
    }

    /** @param reason {@code too-many-inputs}, {@code too-many-tokens} or {@code overloaded} */
    public void restRejected(String reason) {
        Counter.builder("bellm.rest.rejected").tag("reason", reason).description("REST requests refused by a limit")
                .register(registry).increment();
    }

    public void restGathered(int requests) {
        DistributionSummary.builder("bellm.rest.gathered.requests").description("REST requests embedded in one call")
                .register(registry).record(requests);
    }

    public void restQueue(Supplier<Number> waiting) {
        Gauge.builder("bellm.rest.queue", waiting).description("REST requests waiting to be embedded")
                .register(registry);
    }
}
