package ai.bellm.chart;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.api.Phase;
import ai.bellm.kafka.EmbeddedKafkaBroker;
import ai.bellm.operator.k8s.LeaderLease;
import ai.bellm.operator.k8s.OperatorFixture;
import ai.bellm.operator.k8s.TinyExperiment;
import ai.bellm.testing.EmbeddedKafkaExtension;
import ai.bellm.testing.KubeApiServer;
import ai.bellm.testing.KubeApiServerExtension;
import ai.bellm.testing.MlflowServer;
import ai.bellm.testing.MlflowServerExtension;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator can do its job with the chart's RBAC and nothing more, on a kube-apiserver that enforces RBAC: the
 * chart's ServiceAccount, Roles and bindings are installed, and the real operator runs as that account (impersonated)
 * while {@link ai.bellm.operator.k8s.TestJobRunner} plays the kubelet with the admin client.
 */
@ExtendWith({KubeApiServerExtension.class, MlflowServerExtension.class, EmbeddedKafkaExtension.class})
class ChartRbacTest {
    private static final String SERVICE_ACCOUNT = "bellm-operator";
    private final BellmChart chart = new BellmChart();
    private KubernetesClient admin;
    private String releaseNamespace;
    private EmbeddedKafkaBroker kafka;

    @BeforeEach
    void setUp(KubeApiServer server, EmbeddedKafkaBroker broker) {
        kafka = broker;
        admin = server.client();
        AccessReview.requireRbac(admin);
        releaseNamespace = server.newNamespace("bellm");
    }

    @Test
    void theOperatorWithOnlyTheChartsRolesRunsAnExperimentToSucceeded(KubeApiServer server, MlflowServer mlflow,
                                                                     @TempDir Path dir) throws Exception {
        String team = server.newNamespace("team");
        String other = server.newNamespace("team");
        Manifest manifest = chart.template("bellm", releaseNamespace, ValueSet.NAMESPACED_HA,
                Map.of("operator.watchNamespaces[0]", team, "operator.watchNamespaces[1]", other));
        installRbac(manifest);
        // the Lease that the chart's leader-election Role names (operator.leaderElection.leaseName); losing it on
        // a loaded machine (a renewal beyond its deadline) must not end the test's JVM as it ends the application
        LeaderLease lease = new LeaderLease("bellm-operator", Optional.of(releaseNamespace), () -> { });

        try (KubernetesClient operatorClient = ServiceAccountClient.of(server, releaseNamespace, SERVICE_ACCOUNT);
             OperatorFixture fixture = new OperatorFixture(admin, team, operatorClient, Optional.of(lease),
                     mlflow.uri(), kafka.bootstrapServers(), dir.resolve("pods"))) {
            fixture.create(new TinyExperiment(dir).resource("tiny", "chart-" + team));
            BeLLMExperimentStatus status = fixture.awaitDone("tiny").getStatus();

            assertThat(status.phase).as(status.message).isEqualTo(Phase.Succeeded);
            assertThat(status.promotion.promoted).isTrue();
            assertThat(status.modelVersion).isEqualTo("1");
            assertThat(condition(status, "Ready")).satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
            assertThat(fixture.eventReasons("tiny")).as("Events created by the operator's account")
                    .contains("Sweeping", "Training", "Evaluating", "Succeeded");
            assertThat(admin.batch().v1().jobs().inNamespace(team).list().getItems())
                    .extracting(j -> j.getMetadata().getLabels().get("bellm.ai/step"))
                    .containsExactlyInAnyOrder("sweep-1", "sweep-2", "train", "evaluate");
            Lease held = admin.leases().inNamespace(releaseNamespace).withName("bellm-operator").get();
            assertThat(held.getSpec().getHolderIdentity()).as("the operator holds the chart's Lease").isNotBlank();
        }
    }

    @Test
    void withoutCreateOnJobsTheExperimentSaysItIsForbidden(KubeApiServer server, MlflowServer mlflow,
                                                           @TempDir Path dir) throws Exception {
        String team = server.newNamespace("team");
        Manifest manifest = chart.template("bellm", releaseNamespace, ValueSet.DEFAULTS,
                Map.of("operator.watchNamespaces[0]", team));
        Role reduced = manifest.one(Role.class, "bellm-operator");
        reduced.getRules().stream().filter(r -> r.getResources().contains("jobs"))
                .forEach(r -> r.setVerbs(r.getVerbs().stream().filter(v -> !v.equals("create")).toList()));
        installRbac(manifest);

        try (KubernetesClient operatorClient = ServiceAccountClient.of(server, releaseNamespace, SERVICE_ACCOUNT);
             OperatorFixture fixture = new OperatorFixture(admin, team, operatorClient, Optional.empty(),
                     mlflow.uri(), kafka.bootstrapServers(), dir.resolve("pods"))) {
            fixture.jobs.hold(); // once create is granted below, the Jobs only need to appear
            fixture.create(new TinyExperiment(dir).resource("denied", "chart-" + team));
            BeLLMExperiment denied = awaitStatus(fixture, "denied", s -> condition(s, "Ready") != null
                    && "Forbidden".equals(condition(s, "Ready").getReason()));

            Condition ready = condition(denied.getStatus(), "Ready");
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getMessage()).contains("cannot create resource \"jobs\" in API group \"batch\"")
                    .contains(ServiceAccountClient.user(releaseNamespace, SERVICE_ACCOUNT));
            assertThat(denied.getStatus().phase).as("no step launched; it is retried").isEqualTo(Phase.Pending);
            assertThat(admin.batch().v1().jobs().inNamespace(team).list().getItems()).isEmpty();

            // an administrator grants the missing verb: the retries get through without a restart
            admin.rbac().roles().inNamespace(team).withName("bellm-operator").edit(r -> {
                r.setRules(OperatorRules.EXPECTED);
                return r;
            });
            awaitStatus(fixture, "denied", s -> !"Forbidden".equals(condition(s, "Ready").getReason()));
            assertThat(admin.batch().v1().jobs().inNamespace(team).list().getItems())
                    .extracting(j -> j.getMetadata().getLabels().get("bellm.ai/step"))
                    .containsExactlyInAnyOrder("sweep-1", "sweep-2");
        }
    }

    @Test
    void theClusterRoleGrantsExactlyTheOperatorsRulesInEveryNamespace(KubeApiServer server) {
        String release = "c" + releaseNamespace.substring(releaseNamespace.length() - 8);
        Manifest manifest = chart.template(release, releaseNamespace, ValueSet.DEFAULTS, Map.of());
        installRbac(manifest);
        String serviceAccount = release + "-bellm-operator";
        AccessReview review = new AccessReview(admin, releaseNamespace, serviceAccount);
        String anywhere = server.newNamespace("anywhere");
        for (PolicyRule rule : OperatorRules.EXPECTED) {
            for (String verb : rule.getVerbs()) {
                assertThat(review.allowed(verb, rule.getApiGroups().get(0), rule.getResources().get(0), anywhere))
                        .as(verb + " " + rule.getResources()).isTrue();
            }
        }
        Map<String, List<String>> denied = Map.of(
                "bellmexperiments", List.of("create", "update", "delete"),
                "jobs", List.of("update", "patch"),
                "pods", List.of("create", "delete", "watch"),
                "pods/log", List.of("get"),
                "secrets", List.of("get", "list"),
                "events", List.of("delete", "patch"),
                "leases", List.of("get", "create"));
        denied.forEach((resource, verbs) -> verbs.forEach(verb -> assertThat(review.allowed(verb,
                group(resource), resource, anywhere)).as(verb + " " + resource).isFalse()));
    }

    private static String group(String resource) {
        return switch (resource) {
            case "bellmexperiments" -> "bellm.ai";
            case "jobs" -> "batch";
            case "leases" -> "coordination.k8s.io";
            default -> "";
        };
    }

    /** The chart's ServiceAccount, Roles, ClusterRoles and their bindings, created as the admin. */
    private void installRbac(Manifest manifest) {
        for (Class<? extends HasMetadata> type : List.of(ServiceAccount.class, ClusterRole.class,
                ClusterRoleBinding.class, Role.class, RoleBinding.class)) {
            manifest.all(type).forEach(o -> admin.resource(o).create());
        }
    }

    private static Condition condition(BeLLMExperimentStatus status, String type) {
        return status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static BeLLMExperiment awaitStatus(OperatorFixture fixture, String name,
                                               Predicate<BeLLMExperimentStatus> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        BeLLMExperiment experiment = fixture.get(name);
        while (System.nanoTime() < deadline) {
            experiment = fixture.get(name);
            if (experiment.getStatus() != null && condition.test(experiment.getStatus())) {
                return experiment;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " did not reach the expected status; it is "
                + fixture.get(name).getStatus());
    }
}
