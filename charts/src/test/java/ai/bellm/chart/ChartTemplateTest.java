package ai.bellm.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What {@code helm lint} and {@code helm template} make of the chart, value set by value set. */
class ChartTemplateTest {
    static final String RELEASE_NAMESPACE = "bellm-system";
    private final BellmChart chart = new BellmChart();

    private Manifest render(ValueSet values) {
        return chart.template("bellm", RELEASE_NAMESPACE, values, Map.of());
    }

    @Test
    void lintsCleanInStrictMode() {
        var lint = chart.lint();
        assertThat(lint.isFailed()).as(lint.getMessages().toString()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void theChartsCrdIsTheGeneratedOne() throws IOException {
        assertThat(Files.readString(BellmChart.CRD))
                .as("charts/bellm/crds/ differs from crds/: run `cp crds/bellmexperiments.bellm.ai-v1.yml "
                        + "charts/bellm/crds/`")
                .isEqualTo(Files.readString(Path.of("..", "crds", "bellmexperiments.bellm.ai-v1.yml")));
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyObjectParsesIntoItsTypedFabric8Class(ValueSet values) {
        Manifest manifest = render(values);
        assertThat(manifest.objects()).isNotEmpty().allSatisfy(o -> {
            assertThat(o).isNotInstanceOf(GenericKubernetesResource.class);
            assertThat(o.getClass().getSimpleName()).isEqualTo(o.getKind());
            assertThat(o.getClass().getPackageName()).startsWith("io.fabric8.kubernetes.api.model");
            if (!(o instanceof ClusterRole || o instanceof ClusterRoleBinding
                    || o instanceof ValidatingWebhookConfiguration)) {
                assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isNotBlank();
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyPodRunsAsNonRootOnAReadOnlyRootWithLimits(ValueSet values) {
        List<PodSpec> pods = render(values).podSpecs();
        assertThat(pods).isNotEmpty().allSatisfy(pod -> {
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(pod.getContainers()).allSatisfy(c -> {
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
                assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
                assertThat(c.getSecurityContext().getPrivileged()).isNull();
                assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
                assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
                assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
                assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
                assertThat(emptyDirMountedAt(pod, c, "/tmp")).as("/tmp on an emptyDir").isTrue();
            });
        });
    }

    /**
     * The admission webhook: the API server calls the operator's HTTPS port through the webhook Service, trusting the
     * CA the chart made, which signed the certificate the operator serves for that Service's name.
     */
    @Test
    void theWebhookReachesTheOperatorsHttpsPortWithACertificateTheApiServerTrusts() throws Exception {
        Manifest manifest = render(ValueSet.DEFAULTS);
        ValidatingWebhookConfiguration configuration = manifest.one(ValidatingWebhookConfiguration.class,
                "bellm-operator");
        ValidatingWebhook webhook = configuration.getWebhooks().get(0);
        assertThat(webhook.getFailurePolicy()).isEqualTo("Fail");
        assertThat(webhook.getNamespaceSelector()).as("every namespace").isNull();
        assertThat(webhook.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getResources()).as("not the status: the operator's patches are not checked")
                    .containsExactly("bellmexperiments");
            assertThat(rule.getOperations()).containsExactly("CREATE", "UPDATE");
        });
        assertThat(webhook.getClientConfig().getService().getPath()).isEqualTo("/admission/bellmexperiments");
        Service service = manifest.one(Service.class, webhook.getClientConfig().getService().getName());
        Deployment operator = manifest.one(Deployment.class, "bellm-operator");
        Container container = operator.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(service.getSpec().getSelector())
                .isEqualTo(operator.getSpec().getTemplate().getMetadata().getLabels().entrySet().stream()
                        .filter(e -> service.getSpec().getSelector().containsKey(e.getKey()))
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertThat(service.getSpec().getPorts()).anySatisfy(p -> {
            assertThat(p.getPort()).isEqualTo(webhook.getClientConfig().getService().getPort());
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("webhook");
        });
        assertThat(container.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("webhook");
            assertThat(p.getContainerPort()).isEqualTo(8443);
        });
        assertThat(env(container)).containsEntry("QUARKUS_HTTP_SSL_PORT", "8443")
                .containsEntry("QUARKUS_TLS_KEY_STORE_PEM_WEBHOOK_CERT", "/etc/bellm/webhook-tls/tls.crt");

        Secret tls = manifest.one(Secret.class, "bellm-operator-webhook");
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        X509Certificate ca = (X509Certificate) x509.generateCertificate(new java.io.ByteArrayInputStream(
                Base64.getDecoder().decode(webhook.getClientConfig().getCaBundle())));
        X509Certificate served = (X509Certificate) x509.generateCertificate(new java.io.ByteArrayInputStream(
                Base64.getDecoder().decode(tls.getData().get("tls.crt"))));
        served.verify(ca.getPublicKey());
        assertThat(served.getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)).toList())
                .contains(service.getMetadata().getName() + "." + RELEASE_NAMESPACE + ".svc");
        assertThat(operator.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v ->
                assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName())
                        .isEqualTo(tls.getMetadata().getName()));
    }

    @Test
    void aWebhookOfWatchedNamespacesChecksOnlyThose() {
        ValidatingWebhook webhook = render(ValueSet.NAMESPACED_HA).one(ValidatingWebhookConfiguration.class,
                "bellm-operator").getWebhooks().get(0);
        assertThat(webhook.getNamespaceSelector().getMatchExpressions()).singleElement().satisfies(e -> {
            assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
            assertThat(e.getOperator()).isEqualTo("In");
            assertThat(e.getValues()).isNotEmpty();
        });
    }

    @Test
    void embedServiceKeepsDjlsCacheAndModelsOnAnEmptyDir() {
        Deployment embed = render(ValueSet.DEFAULTS).one(Deployment.class, "bellm-embed-service");
        PodSpec pod = embed.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(env(c)).containsEntry("DJL_CACHE_DIR", "/var/cache/bellm/djl")
                .containsEntry("ENGINE_CACHE_DIR", "/var/cache/bellm/djl")
                .containsEntry("BELLM_MODEL_CACHE_DIR", "/var/cache/bellm/models");
        assertThat(emptyDirMountedAt(pod, c, "/var/cache/bellm")).isTrue();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void defaultsWatchEveryNamespaceWithAClusterRoleOfLeastPrivilege() {
        Manifest manifest = render(ValueSet.DEFAULTS);
        assertThat(manifest.kinds()).containsExactlyInAnyOrder("ServiceAccount/bellm-operator",
                "ClusterRole/bellm-operator", "ClusterRoleBinding/bellm-operator", "Deployment/bellm-operator",
                "Service/bellm-operator", "Deployment/bellm-embed-service", "Service/bellm-embed-service",
                "Secret/bellm-operator-webhook", "ValidatingWebhookConfiguration/bellm-operator");
        assertThat(manifest.one(ClusterRole.class, "bellm-operator").getRules()).containsExactlyElementsOf(
                OperatorRules.EXPECTED);
        ClusterRoleBinding binding = manifest.one(ClusterRoleBinding.class, "bellm-operator");
        assertThat(binding.getRoleRef().getName()).isEqualTo("bellm-operator");
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo("bellm-operator");
            assertThat(s.getNamespace()).isEqualTo(RELEASE_NAMESPACE);
        });

        Deployment operator = manifest.one(Deployment.class, "bellm-operator");
        assertThat(operator.getSpec().getReplicas()).isEqualTo(1);
        assertThat(operator.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(operator.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("bellm-operator");
        Map<String, String> env = env(operator.getSpec().getTemplate().getSpec().getContainers().get(0));
        assertThat(env).containsEntry("BELLM_OPERATOR_WORKER_IMAGE", "ghcr.io/bellm/workers:0.1.0")
                .containsEntry("BELLM_OPERATOR_MLFLOW_URI", "http://mlflow:5000")
                .containsEntry("BELLM_OPERATOR_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                .containsEntry("BELLM_OPERATOR_KAFKA_TOPIC", "bellm.model-events")
                .doesNotContainKeys("BELLM_OPERATOR_NAMESPACES", "BELLM_OPERATOR_LEADER_ELECTION_ENABLED",
                        "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN");
        assertThat(operator.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("ghcr.io/bellm/operator:0.1.0");

        Deployment embed = manifest.one(Deployment.class, "bellm-embed-service");
        assertThat(embed.getSpec().getReplicas()).isEqualTo(1);
        assertThat(env(embed.getSpec().getTemplate().getSpec().getContainers().get(0)))
                .containsEntry("BELLM_MODEL_REGISTRY_NAME", "bellm")
                .containsEntry("BELLM_MODEL_ALIAS", "champion")
                .containsEntry("MLFLOW_TRACKING_URI", "http://mlflow:5000")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                .containsEntry("BELLM_KAFKA_INPUT_TOPIC", "bellm.text")
                .containsEntry("BELLM_KAFKA_OUTPUT_TOPIC", "bellm.embeddings")
                .containsEntry("BELLM_KAFKA_DLQ_TOPIC", "bellm.text.dlq")
                .containsEntry("BELLM_KAFKA_EVENTS_TOPIC", "bellm.model-events");
        Service service = manifest.one(Service.class, "bellm-embed-service");
        assertThat(service.getSpec().getSelector())
                .isEqualTo(embed.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void namespacedWatchGetsRolesLeaderElectionALeaseRoleAndTheHpaAndMlflowSecretRender() {
        Manifest manifest = render(ValueSet.NAMESPACED_HA);
        assertThat(manifest.all(ClusterRole.class)).isEmpty();
        assertThat(manifest.all(ClusterRoleBinding.class)).isEmpty();
        for (String namespace : List.of("team-a", "team-b")) {
            assertThat(manifest.all(Role.class)).filteredOn(r -> namespace.equals(r.getMetadata().getNamespace()))
                    .singleElement().satisfies(r -> assertThat(r.getRules())
                            .containsExactlyElementsOf(OperatorRules.EXPECTED));
            assertThat(manifest.all(RoleBinding.class))
                    .filteredOn(b -> namespace.equals(b.getMetadata().getNamespace())).singleElement()
                    .satisfies(b -> assertThat(b.getSubjects()).singleElement()
                            .satisfies(s -> assertThat(s.getNamespace()).isEqualTo(RELEASE_NAMESPACE)));
        }
        Role lease = manifest.one(Role.class, "bellm-operator-leader-election");
        assertThat(lease.getMetadata().getNamespace()).isEqualTo(RELEASE_NAMESPACE);
        assertThat(lease.getRules()).allSatisfy(r -> {
            assertThat(r.getApiGroups()).containsExactly("coordination.k8s.io");
            assertThat(r.getResources()).containsExactly("leases");
        });
        assertThat(lease.getRules()).flatExtracting(PolicyRule::getVerbs)
                .containsExactlyInAnyOrder("get", "update", "create");

        Deployment operator = manifest.one(Deployment.class, "bellm-operator");
        assertThat(operator.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        Container container = operator.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(container)).containsEntry("BELLM_OPERATOR_NAMESPACES", "team-a,team-b")
                .containsEntry("BELLM_OPERATOR_LEADER_ELECTION_ENABLED", "true")
                .containsEntry("BELLM_OPERATOR_LEADER_ELECTION_LEASE_NAME", "bellm-operator");
        assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("BELLM_OPERATOR_LEADER_ELECTION_LEASE_NAMESPACE"))
                .singleElement().satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                        .isEqualTo("metadata.namespace"));

        HorizontalPodAutoscaler hpa = manifest.one(HorizontalPodAutoscaler.class, "bellm-embed-service");
        assertThat(hpa.getApiVersion()).as("Helm's default capabilities serve autoscaling/v2")
                .isEqualTo("autoscaling/v2");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("bellm-embed-service");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);
        assertThat(manifest.one(Deployment.class, "bellm-embed-service").getSpec().getReplicas())
                .as("the HPA owns the replica count").isNull();

        Map<String, String> mlflowAuth = Map.of("MLFLOW_TRACKING_USERNAME", "mlflow-auth/username",
                "MLFLOW_TRACKING_PASSWORD", "mlflow-auth/password");
        for (Deployment deployment : manifest.all(Deployment.class)) {
            List<EnvVar> env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
            Map<String, String> expected = new HashMap<>(mlflowAuth);
            if (deployment.getMetadata().getName().equals("bellm-embed-service")) {
                expected.put("BELLM_REST_API_KEYS", "embed-api-keys/api-keys");
            }
            assertThat(secretRefs(env)).as(deployment.getMetadata().getName())
                    .containsExactlyInAnyOrderEntriesOf(expected);
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("kafka-client")).singleElement()
                    .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("kafka-client"));
            assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(m -> {
                assertThat(m.getMountPath()).isEqualTo("/etc/bellm/kafka");
                assertThat(m.getReadOnly()).isTrue();
            });
        }
    }

    @Test
    void twoOperatorReplicasTurnLeaderElectionOn() {
        Manifest manifest = chart.template("bellm", RELEASE_NAMESPACE, ValueSet.DEFAULTS,
                Map.of("operator.replicas", "2"));
        Deployment operator = manifest.one(Deployment.class, "bellm-operator");
        assertThat(operator.getSpec().getReplicas()).isEqualTo(2);
        assertThat(operator.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(env(operator.getSpec().getTemplate().getSpec().getContainers().get(0)))
                .containsEntry("BELLM_OPERATOR_LEADER_ELECTION_ENABLED", "true");
        assertThat(manifest.all(Role.class)).anySatisfy(role -> assertThat(role.getRules())
                .anySatisfy(rule -> assertThat(rule.getResources()).containsExactly("leases")));
    }

    @Test
    void schedulingImagesAndAnMlflowTokenRender() {
        Manifest manifest = render(ValueSet.SCHEDULING);
        PodSpec operator = manifest.one(Deployment.class, "bellm-operator").getSpec().getTemplate().getSpec();
        PodSpec embed = manifest.one(Deployment.class, "bellm-embed-service").getSpec().getTemplate().getSpec();
        assertThat(operator.getNodeSelector()).containsEntry("node-role.example.com/platform", "true");
        assertThat(operator.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("dedicated");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(embed.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(embed.getTolerations()).singleElement()
                .satisfies(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
        assertThat(embed.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                .hasSize(1);
        for (PodSpec pod : List.of(operator, embed)) {
            assertThat(pod.getImagePullSecrets()).singleElement()
                    .satisfies(s -> assertThat(s.getName()).isEqualTo("registry-credentials"));
            Container c = pod.getContainers().get(0);
            assertThat(c.getImage()).startsWith("registry.example.com/bellm/").endsWith(":1.2.3");
            assertThat(c.getImagePullPolicy()).isEqualTo("Always");
            assertThat(secretRefs(c.getEnv())).containsExactlyEntriesOf(Map.of("MLFLOW_TRACKING_TOKEN", "mlflow-token/token"));
        }
        assertThat(env(operator.getContainers().get(0)))
                .containsEntry("BELLM_OPERATOR_WORKER_IMAGE", "registry.example.com/bellm/workers:1.2.3-cu128");
    }

    @Test
    void operatorOnlyUsesTheGivenServiceAccountAndNoEmbedService() {
        Manifest manifest = render(ValueSet.OPERATOR_ONLY);
        assertThat(manifest.kinds()).containsExactlyInAnyOrder("ClusterRole/bellm-operator",
                "ClusterRoleBinding/bellm-operator", "Deployment/bellm-operator", "Service/bellm-operator",
                "Secret/bellm-operator-webhook", "ValidatingWebhookConfiguration/bellm-operator");
        assertThat(manifest.all(ServiceAccount.class)).isEmpty();
        assertThat(manifest.one(ClusterRoleBinding.class, "bellm-operator").getSubjects()).singleElement()
                .satisfies(s -> assertThat(s.getName()).isEqualTo("platform-bellm-operator"));
        assertThat(manifest.one(Deployment.class, "bellm-operator").getSpec().getTemplate().getSpec()
                .getServiceAccountName()).isEqualTo("platform-bellm-operator");
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void noRoleHasAWildcard(ValueSet values) {
        Manifest manifest = render(values);
        List<PolicyRule> rules = new ArrayList<>();
        manifest.all(ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
        manifest.all(Role.class).forEach(r -> rules.addAll(r.getRules()));
        assertThat(rules).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getVerbs()).doesNotContain("*");
            assertThat(r.getResources()).doesNotContain("*").noneMatch(res -> res.endsWith("/*"));
            assertThat(r.getApiGroups()).doesNotContain("*");
            assertThat(r.getNonResourceURLs()).isNullOrEmpty();
            assertThat(r.getResources()).doesNotContain("secrets", "configmaps");
        });
    }

    @Test
    void theReleaseNameNamesEveryObject() {
        Manifest manifest = chart.template("ml", "ml-platform", ValueSet.DEFAULTS, Map.of());
        assertThat(manifest.objects()).allSatisfy(o -> assertThat(o.getMetadata().getName()).startsWith("ml-bellm-"));
        assertThat(manifest.objects()).allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/instance", "ml"));
    }

    @Test
    void anMlflowSecretWithoutKeysIsRefused() {
        assertThatThrownBy(() -> chart.template("bellm", RELEASE_NAMESPACE, ValueSet.DEFAULTS,
                Map.of("mlflow.auth.existingSecret", "mlflow")))
                .hasMessageContaining("mlflow.auth.existingSecret needs usernameKey + passwordKey or tokenKey");
        assertThatThrownBy(() -> chart.template("bellm", RELEASE_NAMESPACE, ValueSet.DEFAULTS,
                Map.of("mlflow.auth.existingSecret", "mlflow", "mlflow.auth.usernameKey", "user")))
                .hasMessageContaining("go together");
    }

    static Map<String, String> env(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        c.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
        return env;
    }

    private static Map<String, String> secretRefs(List<EnvVar> env) {
        Map<String, String> refs = new LinkedHashMap<>();
        env.stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .forEach(e -> refs.put(e.getName(), e.getValueFrom().getSecretKeyRef().getName() + "/"
                        + e.getValueFrom().getSecretKeyRef().getKey()));
        return refs;
    }

    private static boolean emptyDirMountedAt(PodSpec pod, Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).anyMatch(m -> pod.getVolumes()
                .stream().filter(v -> v.getName().equals(m.getName())).map(Volume::getEmptyDir)
                .anyMatch(d -> d != null));
    }
}
