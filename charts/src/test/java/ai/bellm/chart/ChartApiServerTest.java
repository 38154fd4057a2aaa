package ai.bellm.chart;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.testing.KubeApiServer;
import ai.bellm.testing.KubeApiServerExtension;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The real kube-apiserver (v1.20.2) accepts what the chart renders, and Helm installs it there. */
@ExtendWith(KubeApiServerExtension.class)
class ChartApiServerTest {
    private final BellmChart chart = new BellmChart();

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyRenderedObjectPassesAServerSideDryRun(ValueSet values, KubeApiServer server) {
        KubernetesClient client = server.client();
        String namespace = server.newNamespace("bellm");
        Map<String, String> sets = values == ValueSet.NAMESPACED_HA ? watching(server) : Map.of();
        Manifest manifest = chart.template("bellm", namespace, values, sets);
        boolean hpaV2 = client.supports("autoscaling/v2", "HorizontalPodAutoscaler");
        for (HasMetadata object : manifest.objects()) {
            if (object instanceof HorizontalPodAutoscaler && !hpaV2) {
                continue; // helm template assumes autoscaling/v2; installOnTheServer covers what this server gets
            }
            HasMetadata accepted = client.resource(object).dryRun().create();
            assertThat(accepted.getMetadata().getName()).as(object.getKind()).isEqualTo(object.getMetadata().getName());
            assertThat(client.resource(object).get()).as("a dry run stores nothing: " + object.getKind()).isNull();
        }
    }

    @Test
    void theChartsCrdPassesAServerSideDryRun(KubeApiServer server) throws IOException {
        KubernetesClient client = server.client();
        CustomResourceDefinition crd = client.getKubernetesSerialization()
                .unmarshal(Files.readString(BellmChart.CRD), CustomResourceDefinition.class);
        CustomResourceDefinition accepted = client.resource(crd).dryRun().forceConflicts().serverSideApply();
        assertThat(accepted.getSpec().getNames().getShortNames()).containsExactly("bexp");
    }

    @Test
    void helmInstallsTheChartWithTheServersCapabilities(KubeApiServer server) {
        KubernetesClient client = server.client();
        String namespace = server.newNamespace("bellm");
        String release = "r" + namespace.substring(namespace.length() - 8);
        Map<String, String> watching = watching(server);
        Release installed = chart.install(server.kubeconfig(), release, namespace, ValueSet.NAMESPACED_HA, watching);
        assertThat(installed.getStatus()).isEqualTo("deployed");

        String name = release + "-bellm-embed-service";
        String hpaVersion = client.supports("autoscaling/v2", "HorizontalPodAutoscaler") ? "v2" : "v2beta2";
        assertThat(client.genericKubernetesResources("autoscaling/" + hpaVersion, "HorizontalPodAutoscaler")
                .inNamespace(namespace).withName(name).get()).as("HPA as autoscaling/" + hpaVersion).isNotNull();
        assertThat(client.apps().deployments().inNamespace(namespace).list().getItems())
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder(release + "-bellm-operator", name);
        for (String watched : watching.values()) {
            Role role = client.rbac().roles().inNamespace(watched).withName(release + "-bellm-operator").get();
            assertThat(role.getRules()).containsExactlyElementsOf(OperatorRules.EXPECTED);
        }
        Deployment embed = client.apps().deployments().inNamespace(namespace).withName(name).get();
        assertThat(embed.getSpec().getReplicas()).as("left to the HPA; the server defaults it").isEqualTo(1);
    }

    /** Two new namespaces for operator.watchNamespaces (Roles can only be created in namespaces that exist). */
    private static Map<String, String> watching(KubeApiServer server) {
        List<String> namespaces = List.of(server.newNamespace("team"), server.newNamespace("team"));
        return Map.of("operator.watchNamespaces[0]", namespaces.get(0),
                "operator.watchNamespaces[1]", namespaces.get(1));
    }
}
