package ai.bellm.eval;

import ai.bellm.io.AtomicFile;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Result records as JSON files: snake_case keys, null fields left out, written atomically. */
final class ResultJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // results written by a newer worker (extra fields) can still be merged
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ResultJson() {
    }

    /** Writes through a temporary file and a rename, so a reader (or a retried pod) never sees half a result. */
    static void write(Path file, Object result) throws IOException {
        AtomicFile.write(file, tmp -> MAPPER.writeValue(tmp.toFile(), result));
    }

    static <T> T read(Path file, Class<T> type) throws IOException {
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new IllegalArgumentException("result file not found: " + file);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + ": not a " + type.getSimpleName() + " JSON file: "
                    + e.getOriginalMessage());
        }
    }
}
