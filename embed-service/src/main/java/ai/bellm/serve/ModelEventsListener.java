package ai.bellm.serve;

import ai.bellm.events.ModelPromoted;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the model-events topic and hands every {@link ModelPromoted} to a callback. Every instance of the service
 * must see every event, so it reads all partitions without a consumer group, from their end at the time it reaches
 * Kafka. Other events and unreadable records are skipped.
 */
public final class ModelEventsListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelEventsListener.class);

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Consumer<ModelPromoted> onPromoted;
    private final Thread thread;
    private volatile Throwable death;
    private volatile boolean running = true;
    private Runnable onPositioned;

    public ModelEventsListener(String bootstrapServers, String topic, Map<String, String> consumerOverrides,
            Consumer<ModelPromoted> onPromoted) {
        Map<String, Object> props = new HashMap<>(consumerOverrides);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(props);
        this.onPromoted = onPromoted;
        this.thread = new Thread(this::run, "bellm-model-events");
        this.thread.setDaemon(true);
    }

    /** What ended the listener's thread, if something other than {@link #close()} did. */
    public Optional<Throwable> death() {
        return Optional.ofNullable(death);
    }

    /**
     * Returns at once; the listener's thread connects (retrying while Kafka is away), positions at the topic's end,
     * calls {@code onPositioned}, then follows the events. A promotion published before the positioning is not
     * read: {@code onPositioned} is where the caller catches up (the service looks its alias up again).
     */
    public void start(Runnable onPositioned) {
        this.onPositioned = onPositioned;
        thread.start();
    }

    /** Assigns the topic's partitions at their end; false when stopped first. */
    private boolean position() throws InterruptedException {
        // the topic is created on first metadata request when the broker allows it; else wait for whoever creates it
        while (running) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    List<TopicPartition> partitions = infos.stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                    consumer.assign(partitions);
                    consumer.seekToEnd(partitions);
                    partitions.forEach(consumer::position); // seekToEnd is lazy: fix the positions now
                    return true;
                }
                LOG.warn("model-events topic {} does not exist yet, waiting", topic);
            } catch (TimeoutException e) {
                LOG.warn("model-events topic {}: Kafka not reachable yet ({}), retrying", topic, e.getMessage());
            }
            Thread.sleep(2000);
        }
        return false;
    }

    private void run() {
        try {
            if (!position()) {
                return;
            }
            LOG.info("following model events on {}", topic);
            onPositioned.run();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    handle(record);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            death = e;
            LOG.error("model-events listener stopped: promotions are no longer followed", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        ModelPromoted event;
        try {
            event = ModelPromoted.fromJson(record.value());
        } catch (IllegalArgumentException e) {
            LOG.debug("skipping event at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
            return;
        }
        LOG.info("model {} version {} promoted", event.model(), event.version());
        onPromoted.accept(event);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread.isAlive()) {
            thread.join();
        } else {
            consumer.close(Duration.ZERO);
        }
    }
}
