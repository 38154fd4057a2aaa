package ai.bellm.chart;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.operator.app.OperatorConfig;
import ai.bellm.serve.ServiceConfig;
import ai.bellm.testing.ConfigMappings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.tls.runtime.config.PemKeyCertConfig;
import io.quarkus.tls.runtime.config.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The environment the chart gives each container is what that application reads: its config mapping is built
 * from the rendered env (and the application's own application.properties, as in the image), the way SmallRye maps
 * environment variables in the pod.
 */
class ChartEnvironmentTest {
    private static final String NAMESPACE = "bellm-system";
    private final Manifest manifest = new BellmChart().template("bellm", NAMESPACE, ValueSet.NAMESPACED_HA, Map.of());

    @Test
    void theOperatorReadsEverySettingTheChartGivesIt() throws Exception {
        Map<String, String> env = env("bellm-operator");
        // each one is checked below, or read by the image's entrypoint (JAVA_OPTS) or Quarkus itself
        assertThat(env.keySet()).containsExactlyInAnyOrder("BELLM_OPERATOR_WORKER_IMAGE", "BELLM_OPERATOR_MLFLOW_URI",
                "BELLM_OPERATOR_ALLOWED_MLFLOW_URIS", "BELLM_OPERATOR_STEP_MLFLOW_SECRET",
                "BELLM_OPERATOR_TRACKING_TIMEOUT", "BELLM_OPERATOR_RETRY_BACKOFF",
                "BELLM_OPERATOR_KAFKA_BOOTSTRAP_SERVERS", "BELLM_OPERATOR_KAFKA_TOPIC",
                "BELLM_OPERATOR_KAFKA_CLIENT_PROPERTIES_FILE", "BELLM_OPERATOR_NAMESPACES",
                "BELLM_OPERATOR_LEADER_ELECTION_ENABLED", "BELLM_OPERATOR_LEADER_ELECTION_LEASE_NAME",
                "BELLM_OPERATOR_LEADER_ELECTION_LEASE_NAMESPACE", "QUARKUS_HTTP_PORT", "QUARKUS_HTTP_SSL_PORT",
                "QUARKUS_TLS_KEY_STORE_PEM_WEBHOOK_CERT", "QUARKUS_TLS_KEY_STORE_PEM_WEBHOOK_KEY", "JAVA_OPTS");
        // the webhook's certificate, as Quarkus' TLS registry reads it (a map key inside a variable's name)
        PemKeyCertConfig.KeyCertConfig webhookTls = ConfigMappings.load(TlsConfig.class, OperatorConfig.class, env)
                .defaultCertificateConfig().orElseThrow().keyStore().orElseThrow().pem().orElseThrow().keyCerts()
                .get("webhook");
        assertThat(webhookTls.cert()).isEqualTo(Path.of("/etc/bellm/webhook-tls/tls.crt"));
        assertThat(webhookTls.key()).isEqualTo(Path.of("/etc/bellm/webhook-tls/tls.key"));
        OperatorConfig config = ConfigMappings.load(OperatorConfig.class, env);
        assertThat(config.workerImage()).isEqualTo("ghcr.io/bellm/workers:0.1.0");
        assertThat(config.mlflowUri()).isEqualTo("https://mlflow.example.com");
        assertThat(config.allowedMlflowUris())
                .contains(List.of("https://mlflow.team-a.example.com", "http://mlflow.team-b.svc:*"));
        assertThat(config.stepMlflowSecret()).contains("mlflow-step-credentials");
        assertThat(config.trackingTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.retryBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.namespaces()).contains(List.of("team-a", "team-b"));
        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.kafka().topic()).isEqualTo("bellm.model-events");
        assertThat(config.kafka().clientPropertiesFile()).contains(Path.of("/etc/bellm/kafka/client.properties"));
        assertThat(config.leaderElection().enabled()).isTrue();
        assertThat(config.leaderElection().leaseName()).isEqualTo("bellm-operator");
        assertThat(config.leaderElection().leaseNamespace()).contains(NAMESPACE);
    }

    @Test
    void embedServiceReadsEverySettingTheChartGivesIt() throws Exception {
        Map<String, String> env = env("bellm-embed-service");
        // each one is checked below, or read by MLflow's client (MLFLOW_TRACKING_URI), DJL, the image or Quarkus
        assertThat(env.keySet()).containsExactlyInAnyOrder("BELLM_MODEL_REGISTRY_NAME", "BELLM_MODEL_ALIAS",
                "BELLM_MODEL_CACHE_DIR", "KAFKA_BOOTSTRAP_SERVERS", "BELLM_KAFKA_INPUT_TOPIC",
                "BELLM_KAFKA_OUTPUT_TOPIC", "BELLM_KAFKA_DLQ_TOPIC", "BELLM_KAFKA_EVENTS_TOPIC",
                "BELLM_KAFKA_CLIENT_PROPERTIES_FILE", "MLFLOW_TRACKING_URI",
                "DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "BELLM_HTTP_PORT", "JAVA_OPTS");
        ServiceConfig config = ConfigMappings.load(ServiceConfig.class, env);
        assertThat(config.model().registryName()).contains("bellm");
        assertThat(config.model().alias()).isEqualTo("champion");
        assertThat(config.model().cacheDir()).contains(Path.of("/var/cache/bellm/models"));
        assertThat(config.kafka().bootstrapServers()).contains("kafka:9092");
        assertThat(config.kafka().clientPropertiesFile()).contains(Path.of("/etc/bellm/kafka/client.properties"));
        assertThat(config.kafka().inputTopic()).isEqualTo("bellm.text");
        assertThat(config.kafka().outputTopic()).isEqualTo("bellm.embeddings");
        assertThat(config.kafka().dlqTopic()).isEqualTo("bellm.text.dlq");
        assertThat(config.kafka().eventsTopic()).isEqualTo("bellm.model-events");
    }

    /** The container's env, fieldRefs resolved as the kubelet would for a pod of the release. */
    private Map<String, String> env(String deployment) {
        Container c = manifest.one(Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers()
                .get(0);
        Map<String, String> env = new HashMap<>();
        c.getEnv().forEach(e -> {
            if (e.getValue() != null) {
                env.put(e.getName(), e.getValue());
            } else if (e.getValueFrom().getFieldRef() != null) {
                assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
                env.put(e.getName(), NAMESPACE);
            }
        });
        return env;
    }
}
