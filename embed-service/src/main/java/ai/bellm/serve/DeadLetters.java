package ai.bellm.serve;

import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A rejected record as it goes to the dead-letter topic: its key, value bytes and headers, plus headers saying why
 * and where it came from ({@link SourceHeaders}). What it carries of the input is bounded by {@code maxBytes} per
 * part, so that a dead letter can always be produced: a longer key or value is cut to its first {@code maxBytes}
 * (header {@value #KEY_BYTES} or {@value #VALUE_BYTES} with the original length), headers of more than
 * {@code maxBytes} in all are left out ({@value #HEADERS_DROPPED} with their count). Otherwise one record the broker
 * accepted compressed could make a dead letter the producer refuses, and the partition would stall on it.
 */
public final class DeadLetters {
    public static final String REASON = "bellm.dlq.reason";
    public static final String DETAIL = "bellm.dlq.detail";
    public static final String ERROR_CLASS = "bellm.dlq.error-class";
    public static final String KEY_BYTES = "bellm.dlq.key-bytes";
    public static final String VALUE_BYTES = "bellm.dlq.value-bytes";
    public static final String HEADERS_DROPPED = "bellm.dlq.headers-dropped";

    private final String topic;
    private final int maxBytes;

    public DeadLetters(String topic, int maxBytes) {
        this.topic = topic;
        this.maxBytes = maxBytes;
    }

    /** {@code error}: the exception behind the rejection, if there was one. */
    public ProducerRecord<byte[], byte[]> record(ConsumerRecord<byte[], byte[]> source, DlqReason reason, String detail,
            Throwable error) {
        boolean dropHeaders = SourceHeaders.size(source.headers()) > maxBytes;
        Headers headers = dropHeaders ? new RecordHeaders() : new RecordHeaders(source.headers().toArray());
        byte[] key = cut(source.key(), KEY_BYTES, headers);
        byte[] value = cut(source.value(), VALUE_BYTES, headers);
        if (dropHeaders) {
            SourceHeaders.put(headers, HEADERS_DROPPED, Integer.toString(source.headers().toArray().length));
        }
        SourceHeaders.put(headers, REASON, reason.value());
        SourceHeaders.put(headers, DETAIL, detail == null ? "" : detail);
        if (error != null) {
            SourceHeaders.put(headers, ERROR_CLASS, error.getClass().getName());
        }
        SourceHeaders.add(headers, source);
        // last: a ProducerRecord copies the headers it is given
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    private byte[] cut(byte[] bytes, String lengthHeader, Headers headers) {
        if (bytes == null || bytes.length <= maxBytes) {
            return bytes;
        }
        SourceHeaders.put(headers, lengthHeader, Integer.toString(bytes.length));
        return Arrays.copyOf(bytes, maxBytes);
    }
}
