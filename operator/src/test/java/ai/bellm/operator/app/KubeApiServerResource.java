package ai.bellm.operator.app;

import ai.bellm.testing.KubeApiServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** The application under test talks to the real kube-apiserver, watching a namespace of its own. */
public class KubeApiServerResource implements QuarkusTestResourceLifecycleManager {
    static volatile KubeApiServer server;
    static volatile String namespace;

    @Override
    public Map<String, String> start() {
        server = KubeApiServer.startOrReuse();
        server.installCrd();
        namespace = server.newNamespace("quarkus");
        return Map.of("bellm.operator.kubeconfig", server.kubeconfig().toString(),
                "bellm.operator.namespaces", namespace,
                "bellm.operator.kafka.bootstrap-servers", "127.0.0.1:1");
    }

    @Override
    public void stop() {
        server.close();
    }
}
