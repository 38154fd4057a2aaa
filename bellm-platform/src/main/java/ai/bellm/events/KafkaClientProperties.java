package ai.bellm.events;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kafka client properties every client of a process shares, read from a file in Kafka's own format (what
 * {@code kafka-console-consumer --consumer.config} reads): {@code security.protocol}, SASL and TLS settings. A file,
 * not plain configuration, because they carry secrets: the chart mounts it from a Secret.
 */
public final class KafkaClientProperties {

    private KafkaClientProperties() {
    }

    /** The file's properties; none without a file. A file that cannot be read is an error naming it. */
    public static Map<String, String> load(Optional<Path> file) {
        if (file.isEmpty()) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Kafka client properties file " + file.get() + ": " + e,
                    e);
        }
        Map<String, String> map = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> map.put(key, properties.getProperty(key)));
        return map;
    }

    /** {@code shared} with {@code specific} on top (a client's own settings win). */
    public static Map<String, String> merge(Map<String, String> shared, Map<String, String> specific) {
        Map<String, String> merged = new TreeMap<>(shared);
        merged.putAll(specific);
        return merged;
    }
}
