package ai.bellm.chart;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.experiment.workflow.Specs;
import ai.bellm.operator.k8s.TinyExperiment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The whole platform in a real cluster, on a machine with Docker: K3s, the three images built from docker/ and
 * imported into it, Kafka and MLflow (k3s/dependencies.yaml), the chart installed with helm-java, and the tiny
 * experiment run by real pods to a promoted model that embed-service then serves. Needs
 * {@code mvn -B package -DskipTests} first; see docs/kubernetes.md. Skipped where Docker is absent.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sEndToEndTest {
    private static final String NAMESPACE = "bellm";
    private static final String MODEL = "bellm-tiny";

    @Container
    static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

    @Test
    void theTinyExperimentRunsThroughRealPodsAndItsModelIsServed(@TempDir Path dir) throws Exception {
        for (BellmImage image : BellmImage.values()) {
            image.buildInto(K3S);
        }
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), K3S.getKubeConfigYaml());
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml())).build()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                    .build()).create();
            installDependencies(client, dir);
            for (String dependency : new String[] {"kafka", "mlflow"}) {
                client.apps().deployments().inNamespace(NAMESPACE).withName(dependency).waitUntilReady(10,
                        TimeUnit.MINUTES);
            }

            new BellmChart().install(kubeconfig, "bellm", NAMESPACE, ValueSet.DEFAULTS, chartValues());
            client.apps().deployments().inNamespace(NAMESPACE).withName("bellm-operator").waitUntilReady(5,
                    TimeUnit.MINUTES);

            BeLLMExperiment experiment = new BeLLMExperiment();
            experiment.setMetadata(new ObjectMetaBuilder().withName("tiny").withNamespace(NAMESPACE).build());
            experiment.setSpec(Specs.tiny("/data/model", "/data/train.jsonl", "/data/dev.jsonl", MODEL));
            experiment.getSpec().data.volumeClaim = "bellm-data";
            client.resource(experiment).create();
            BeLLMExperiment done = client.resources(BeLLMExperiment.class).inNamespace(NAMESPACE).withName("tiny")
                    .waitUntilCondition(e -> e.getStatus() != null && e.getStatus().phase != null
                            && e.getStatus().phase.terminal(), 20, TimeUnit.MINUTES);
            BeLLMExperimentStatus status = done.getStatus();
            assertThat(status.message).isNotNull();
            assertThat(status.promotion.promoted).as(status.message).isTrue();
            assertThat(status.modelVersion).isEqualTo("1");
            assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems())
                    .allSatisfy(j -> assertThat(j.getStatus().getSucceeded()).isEqualTo(1));

            // embed-service was waiting for models:/bellm-tiny@champion; now it loads it and becomes ready
            client.apps().deployments().inNamespace(NAMESPACE).withName("bellm-embed-service")
                    .waitUntilReady(10, TimeUnit.MINUTES);
        }
    }

    /** Kafka, MLflow and the bellm-data volume, filled with the tiny model and data. */
    private static void installDependencies(KubernetesClient client, Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        new TinyExperiment(data); // writes model/, train.jsonl, dev.jsonl
        K3S.copyFileToContainer(MountableFile.forHostPath(data, 0755), "/var/lib/bellm-data");
        try (InputStream in = K3sEndToEndTest.class.getResourceAsStream("/k3s/dependencies.yaml")) {
            for (HasMetadata item : client.load(in).items()) {
                if (!(item instanceof PersistentVolume)) {
                    item.getMetadata().setNamespace(NAMESPACE);
                }
                client.resource(item).create();
            }
        }
    }

    /** The local images (never pulled), the in-cluster Kafka and MLflow, requests a laptop can schedule. */
    private static Map<String, String> chartValues() {
        Map<String, String> values = new HashMap<>();
        values.put("images.operator.repository", BellmImage.OPERATOR.repository());
        values.put("images.workers.repository", BellmImage.WORKERS.repository());
        values.put("images.embedService.repository", BellmImage.EMBED_SERVICE.repository());
        for (String image : new String[] {"operator", "workers", "embedService"}) {
            values.put("images." + image + ".tag", BellmImage.TAG);
        }
        values.put("images.operator.pullPolicy", "Never");
        values.put("images.embedService.pullPolicy", "Never");
        values.put("kafka.bootstrapServers", "kafka:9092");
        values.put("mlflow.trackingUri", "http://mlflow:5000");
        values.put("embedService.model.registryName", MODEL);
        values.put("embedService.resources.requests.cpu", "250m");
        values.put("embedService.resources.requests.memory", "1Gi");
        values.put("operator.watchNamespaces[0]", NAMESPACE);
        return values;
    }
}
