package ai.bellm.testing;

import ai.bellm.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests an {@link EmbeddedKafkaBroker} parameter: one broker for the whole test run, its log under
 * {@code target/}, closed (and its log deleted) when the run ends. A test that stops it starts it again.
 */
public final class EmbeddedKafkaExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(EmbeddedKafkaBroker.class, k -> {
            try {
                return EmbeddedKafkaBroker.start(Files.createDirectories(Path.of("target")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, EmbeddedKafkaBroker.class);
    }
}
