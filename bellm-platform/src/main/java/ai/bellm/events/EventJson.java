package ai.bellm.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON of the model-events topic's records: one mapper, and one rule for what cannot be read. */
final class EventJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    private EventJson() {
    }

    static byte[] write(Object event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException "not a {@code what}", with the reason, for anything that is not one */
    static <T> T read(byte[] json, Class<T> type, String what) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("not " + what + ": " + e.getMessage(), e);
        }
    }
}
