package ai.bellm.serve;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * A rejected record as it goes to the dead-letter topic: its key, value bytes and headers unchanged, plus headers
 * saying why and where it came from.
 */
public final class DeadLetters {
    public static final String REASON = "bellm.dlq.reason";
    public static final String DETAIL = "bellm.dlq.detail";
    public static final String SOURCE_TOPIC = "bellm.dlq.topic";
    public static final String SOURCE_PARTITION = "bellm.dlq.partition";
    public static final String SOURCE_OFFSET = "bellm.dlq.offset";

    private final String topic;

    public DeadLetters(String topic) {
        this.topic = topic;
    }

    public ProducerRecord<byte[], byte[]> record(ConsumerRecord<byte[], byte[]> source, DlqReason reason, String detail) {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic, null, source.key(), source.value(),
                source.headers());
        Headers headers = out.headers();
        add(headers, REASON, reason.value());
        add(headers, DETAIL, detail == null ? "" : detail);
        add(headers, SOURCE_TOPIC, source.topic());
        add(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
        add(headers, SOURCE_OFFSET, Long.toString(source.offset()));
        return out;
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
