package ai.bellm.serve;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Where a produced record came from, in headers on every embedding and dead letter: the input's topic, partition and
 * offset. With them a consumer can drop the duplicates that at-least-once delivery brings after a crash.
 */
public final class SourceHeaders {
    public static final String TOPIC = "bellm.source.topic";
    public static final String PARTITION = "bellm.source.partition";
    public static final String OFFSET = "bellm.source.offset";

    private SourceHeaders() {
    }

    static void add(Headers headers, ConsumerRecord<?, ?> source) {
        put(headers, TOPIC, source.topic());
        put(headers, PARTITION, Integer.toString(source.partition()));
        put(headers, OFFSET, Long.toString(source.offset()));
    }

    static void put(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes a record's headers take (keys as UTF-8, values as they are). */
    static long size(Headers headers) {
        long bytes = 0;
        for (Header h : headers) {
            bytes += h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length);
        }
        return bytes;
    }
}
