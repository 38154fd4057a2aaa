package ai.bellm.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.Phase;
import ai.bellm.experiment.workflow.Specs;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Quarkus application: the operator starts with it, reports health and metrics. */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
class OperatorAppTest {
    @TestHTTPResource("/q/health/ready")
    URI ready;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Test
    void healthAndMetricsReportTheOperator() throws Exception {
        HttpResponse<String> health = get(ready);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("bellm-operator").contains("UP");

        // an experiment the operator fails before any step: no MLflow or Kafka needed
        BeLLMExperiment invalid = new BeLLMExperiment();
        invalid.setMetadata(new ObjectMetaBuilder().withName("bad-data").build());
        invalid.setSpec(Specs.tiny("/m", "/t.jsonl", "/d.jsonl", "reg"));
        invalid.getSpec().data.train = List.of("no-format");
        var client = KubeApiServerResource.server.client().resources(BeLLMExperiment.class)
                .inNamespace(KubeApiServerResource.namespace);
        client.resource(invalid).create();
        for (int i = 0; i < 100; i++) {
            BeLLMExperiment e = client.withName("bad-data").get();
            if (e.getStatus() != null && e.getStatus().phase == Phase.Failed) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(client.withName("bad-data").get().getStatus().message).startsWith("invalid spec: data.train");

        String body = get(metrics).body();
        assertThat(body).contains("bellm_operator_reconciles_total{outcome=\"ok\"")
                .contains("bellm_operator_reconcile_seconds_count")
                .containsPattern("bellm_operator_experiments\\{phase=\"Failed\"\\} 1\\.0");
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
