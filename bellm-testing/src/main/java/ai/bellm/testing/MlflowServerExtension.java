package ai.bellm.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real MLflow server as a {@link MlflowServer} parameter: the one at {@code MLFLOW_TRACKING_URI} if set,
 * else one server for the whole test run, started through {@code scripts/mlflow-server.sh} with its store in
 * {@code target/mlflow-server} and stopped when the run ends. (A server left by a killed run is reused, then stopped.)
 * Tests that need to stop a server take a dedicated one with {@link MlflowServer#start(Path)}.
 */
public final class MlflowServerExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MlflowServerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MlflowServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // the root store lives as long as the test run and closes (stops) the server at its end
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(MlflowServer.class, k -> sharedServer(), MlflowServer.class);
    }

    private static MlflowServer sharedServer() {
        String uri = System.getenv("MLFLOW_TRACKING_URI");
        if (uri != null && !uri.isBlank()) {
            return MlflowServer.external(uri);
        }
        return MlflowServer.start(Path.of("target", "mlflow-server"));
    }
}
