package ai.bellm.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An input record to its id and text. A value whose first non-blank character is {@code {} must be a JSON object
 * {@code {"id": ..., "text": "..."}} (id optional); any other value is the text itself, as UTF-8. Without an id the
 * record's key (UTF-8) is the id, and without a key {@code <topic>-<partition>-<offset>}.
 */
public final class RecordDecoder {

    /** What became of a record: a text to embed or a reason to dead-letter it. */
    public sealed interface Decoded permits Text, Rejected {
    }

    public record Text(String id, String text) implements Decoded {
    }

    public record Rejected(DlqReason reason, String detail) implements Decoded {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxBytes;

    public RecordDecoder(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public Decoded decode(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            return new Rejected(DlqReason.EMPTY_TEXT, "record has no value");
        }
        if (value.length > maxBytes) {
            return new Rejected(DlqReason.TOO_LARGE, "value of " + value.length + " bytes, limit " + maxBytes);
        }
        // key and headers are copied onto the output record: they are bounded too
        long keyBytes = record.key() == null ? 0 : record.key().length;
        if (keyBytes > maxBytes) {
            return new Rejected(DlqReason.TOO_LARGE, "key of " + keyBytes + " bytes, limit " + maxBytes);
        }
        long headerBytes = SourceHeaders.size(record.headers());
        if (headerBytes > maxBytes) {
            return new Rejected(DlqReason.TOO_LARGE, "headers of " + headerBytes + " bytes, limit " + maxBytes);
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return new Rejected(DlqReason.INVALID_UTF8, e.toString());
        }
        String fallbackId = fallbackId(record);
        if (!decoded.stripLeading().startsWith("{")) {
            return textOrEmpty(fallbackId, decoded);
        }
        JsonNode json;
        try {
            json = JSON.readTree(decoded);
        } catch (JsonProcessingException e) {
            return new Rejected(DlqReason.MALFORMED_JSON, e.getOriginalMessage());
        }
        JsonNode text = json.path("text");
        if (!text.isTextual()) {
            return new Rejected(DlqReason.MALFORMED_JSON, "\"text\" must be a string, got " + text.getNodeType());
        }
        JsonNode id = json.path("id");
        boolean hasId = id.isTextual() || id.isNumber();
        if (!hasId && !id.isMissingNode() && !id.isNull()) {
            return new Rejected(DlqReason.MALFORMED_JSON, "\"id\" must be a string or number");
        }
        return textOrEmpty(hasId ? id.asText() : fallbackId, text.asText());
    }

    private static Decoded textOrEmpty(String id, String text) {
        return text.isBlank() ? new Rejected(DlqReason.EMPTY_TEXT, "text is empty or blank") : new Text(id, text);
    }

    private static String fallbackId(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() != null) {
            return new String(record.key(), StandardCharsets.UTF_8);
        }
        return record.topic() + "-" + record.partition() + "-" + record.offset();
    }
}
