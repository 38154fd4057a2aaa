package ai.bellm.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The value of an output record: {@code {"id":..., "model":{"name":...,"version":...}, "dim":n, "embedding":[...]}}.
 * Floats are written in their shortest exact form, so readers get the very floats the model produced.
 */
public record EmbeddingRecord(String id, ModelRef model, int dim, float[] embedding) {

    /** The model version that produced an embedding. */
    public record ModelRef(String name, String version) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EmbeddingRecord fromJson(byte[] json) {
        try {
            return JSON.readValue(json, EmbeddingRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
