package ai.bellm.testing;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;

/**
 * A Quarkus application's config mapping as the application builds it, without starting the application: its
 * packaged application.properties, overridden by {@code env} the way SmallRye maps environment variables in a pod.
 */
public final class ConfigMappings {
    private ConfigMappings() {
    }

    /**
     * The mapping {@code type} from {@code env} over the application.properties packaged with {@code type}, with
     * Quarkus's duration syntax ("50ms") and ${...} expressions. An env variable under the mapping's prefix that maps
     * to no setting fails the build.
     */
    public static <T> T load(Class<T> type, Map<String, String> env) {
        return load(type, type, env);
    }

    /** The mapping {@code type} (e.g. one of Quarkus' own) in the application of {@code application}. */
    public static <T> T load(Class<T> type, Class<?> application, Map<String, String> env) {
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withMapping(type)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new EnvConfigSource(env, 300),
                        new PropertiesConfigSource(applicationProperties(application), "application.properties", 250))
                .build().getConfigMapping(type);
    }

    /** The application.properties packaged with {@code type}'s application (a jar, or classes in the reactor). */
    private static Map<String, String> applicationProperties(Class<?> type) {
        Properties properties = new Properties();
        try {
            URL location = type.getProtectionDomain().getCodeSource().getLocation();
            Path path = Path.of(location.toURI());
            if (Files.isDirectory(path)) {
                try (InputStream in = Files.newInputStream(path.resolve("application.properties"))) {
                    properties.load(in);
                }
            } else {
                try (JarFile jar = new JarFile(path.toFile());
                     InputStream in = jar.getInputStream(jar.getEntry("application.properties"))) {
                    properties.load(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> map = new HashMap<>();
        properties.forEach((k, v) -> map.put((String) k, (String) v));
        return map;
    }
}
