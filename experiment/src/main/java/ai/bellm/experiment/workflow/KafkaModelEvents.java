package ai.bellm.experiment.workflow;

import ai.bellm.events.ExperimentOutcome;
import ai.bellm.events.ModelPromoted;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ModelPromoted} and {@link ExperimentOutcome} events on a Kafka topic, keyed by registered model so that one
 * model's events stay in order. A ModelPromoted that is not acknowledged within {@code timeout} throws
 * {@link EventsUnavailableException}: the promotion is retried, with the alias already moved, and the event sent
 * again; an outcome event is then logged and dropped (see {@link ModelEvents}).
 */
public final class KafkaModelEvents implements ModelEvents, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaModelEvents.class);
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final long timeoutMillis;

    public KafkaModelEvents(String bootstrapServers, String topic, java.time.Duration timeout) {
        this(bootstrapServers, topic, timeout, Map.of());
    }

    /** @param clientProperties e.g. the security settings of {@link ai.bellm.events.KafkaClientProperties} */
    public KafkaModelEvents(String bootstrapServers, String topic, java.time.Duration timeout,
                            Map<String, String> clientProperties) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 2000));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 1000));
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public void promoted(String model, String version, Map<String, Double> metrics, ExperimentRef experiment) {
        publish(model, ModelPromoted.of(model, version, metrics, of(experiment)).toJson(),
                "the ModelPromoted event for " + model + " version " + version);
    }

    @Override
    public void notPromoted(String model, Map<String, Double> metrics, String championVersion, String reason,
                            ExperimentRef experiment) {
        publishBestEffort(model, ExperimentOutcome.notPromoted(model, metrics, championVersion, reason,
                of(experiment)).toJson(), "the ModelNotPromoted event for " + model);
    }

    @Override
    public void failed(String model, String reason, ExperimentRef experiment) {
        publishBestEffort(model, ExperimentOutcome.failed(model, reason, of(experiment)).toJson(),
                "the ExperimentFailed event of " + experiment.namespace() + "/" + experiment.name());
    }

    private void publishBestEffort(String model, byte[] event, String what) {
        try {
            publish(model, event, what);
        } catch (EventsUnavailableException e) {
            LOG.warn("not published (outcome events are not retried): {}", e.getMessage());
        }
    }

    private void publish(String model, byte[] event, String what) {
        try {
            producer.send(new ProducerRecord<>(topic, model, event)).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventsUnavailableException("interrupted while publishing to " + topic, e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new EventsUnavailableException("Kafka did not take " + what + " on " + topic + ": " + e, e);
        }
    }

    private static ModelPromoted.Experiment of(ExperimentRef experiment) {
        return new ModelPromoted.Experiment(experiment.namespace(), experiment.name());
    }

    @Override
    public void close() {
        producer.close();
    }
}
