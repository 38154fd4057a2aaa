package ai.bellm.chart;

import ai.bellm.testing.KubeApiServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * A client that acts as a ServiceAccount, the way a pod running under it would: the admin's kubeconfig impersonating
 * the account's user and groups, so every call is authorized by the account's RBAC bindings only.
 */
final class ServiceAccountClient {
    private ServiceAccountClient() {
    }

    static String user(String namespace, String name) {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    static KubernetesClient of(KubeApiServer server, String namespace, String name) {
        try {
            Config config = Config.fromKubeconfig(Files.readString(server.kubeconfig()));
            config.setImpersonateUsername(user(namespace, name));
            config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace,
                    "system:authenticated");
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
