package ai.bellm.operator.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;

/** The fabric8 client: from {@code bellm.operator.kubeconfig}, else in-cluster account, KUBECONFIG or ~/.kube/config. */
public class KubernetesClientProducer {

    @Produces
    @Singleton
    KubernetesClient client(OperatorConfig config) throws IOException {
        KubernetesClientBuilder builder = new KubernetesClientBuilder();
        if (config.kubeconfig().isPresent()) {
            builder.withConfig(Config.fromKubeconfig(Files.readString(config.kubeconfig().get())));
        }
        return builder.build();
    }

    void close(@Disposes KubernetesClient client) {
        client.close();
    }
}
