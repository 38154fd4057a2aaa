package ai.bellm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {
    private final RecordDecoder decoder = new RecordDecoder(100);

    private static ConsumerRecord<byte[], byte[]> record(String key, String value) {
        return new ConsumerRecord<>("in", 2, 7, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void idComesFromJsonThenKeyThenCoordinates() {
        assertThat(decoder.decode(record("k", "{\"id\": \"a\", \"text\": \"hi\"}")))
                .isEqualTo(new RecordDecoder.Text("a", "hi"));
        assertThat(decoder.decode(record("k", "{\"id\": 12, \"text\": \"hi\"}")))
                .isEqualTo(new RecordDecoder.Text("12", "hi"));
        assertThat(decoder.decode(record("k", "{\"text\": \"hi\", \"id\": null}")))
                .isEqualTo(new RecordDecoder.Text("k", "hi"));
        assertThat(decoder.decode(record(null, "plain text, {not json}")))
                .isEqualTo(new RecordDecoder.Text("in-2-7", "plain text, {not json}"));
    }

    @Test
    void rejectsWithTheReason() {
        assertThat(reason("  {\"text\": ")).isEqualTo(DlqReason.MALFORMED_JSON);
        assertThat(reason("{\"id\": [1], \"text\": \"x\"}")).isEqualTo(DlqReason.MALFORMED_JSON);
        assertThat(reason("{\"id\": 1}")).isEqualTo(DlqReason.MALFORMED_JSON);
        assertThat(reason("{\"text\": \"\"}")).isEqualTo(DlqReason.EMPTY_TEXT);
        assertThat(reason(" \n")).isEqualTo(DlqReason.EMPTY_TEXT);
        assertThat(reason("z".repeat(101))).isEqualTo(DlqReason.TOO_LARGE);
        ConsumerRecord<byte[], byte[]> latin1 = new ConsumerRecord<>("in", 0, 0, null, new byte[] {'c', 'a', 'f', (byte) 0xE9});
        assertThat(((RecordDecoder.Rejected) decoder.decode(latin1)).reason()).isEqualTo(DlqReason.INVALID_UTF8);
    }

    private DlqReason reason(String value) {
        return ((RecordDecoder.Rejected) decoder.decode(record("k", value))).reason();
    }
}
