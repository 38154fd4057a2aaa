package ai.bellm.operator.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The fabric8 client from the usual sources: in-cluster service account, KUBECONFIG or ~/.kube/config. */
public class KubernetesClientProducer {

    @Produces
    @Singleton
    KubernetesClient client() {
        return new KubernetesClientBuilder().build();
    }

    void close(@Disposes KubernetesClient client) {
        client.close();
    }
}
