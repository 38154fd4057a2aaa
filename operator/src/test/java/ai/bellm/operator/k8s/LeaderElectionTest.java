package ai.bellm.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.experiment.workflow.RecordingModelEvents;
import ai.bellm.experiment.workflow.Specs;
import ai.bellm.testing.JavaProcess;
import ai.bellm.testing.KubeApiServer;
import ai.bellm.testing.KubeApiServerExtension;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators with a Lease, as separate processes against a real API server (each the operator as the application
 * runs it, with a host name of its own as its identity): the holder stops on SIGTERM, as a pod must (with JOSDK's own
 * exit-on-stop-leading, closing the operator from the shutdown hook called System.exit inside it and the JVM hung),
 * and of two, one reconciles and the other takes over when it stops.
 */
@ExtendWith(KubeApiServerExtension.class)
class LeaderElectionTest {

    @Test
    void aLeadingOperatorEndsPromptlyOnSigterm(KubeApiServer server, @TempDir Path dir) throws Exception {
        String namespace = server.newNamespace("lease");
        Path log = dir.resolve("operator.log");
        Process operator = JavaProcess.start(LeadingOperator.class, Map.of(), log,
                List.of(server.kubeconfig().toString(), namespace));
        try {
            Lease lease = server.client().leases().inNamespace(namespace).withName("bellm-operator")
                    .waitUntilCondition(l -> l != null && l.getSpec().getHolderIdentity() != null, 2, TimeUnit.MINUTES);
            assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();

            operator.destroy(); // SIGTERM
            assertThat(operator.waitFor(20, TimeUnit.SECONDS)).as("ended; log:%n%s", Files.readString(log)).isTrue();
            assertThat(operator.exitValue()).as("the signal's status, not the lost-Lease exit").isEqualTo(143);
        } finally {
            operator.destroyForcibly();
        }
    }

    @Test
    void ofTwoOperatorsTheLeaseHolderReconcilesAndTheOtherTakesOverWhenItStops(KubeApiServer server,
                                                                            @TempDir Path dir) throws Exception {
        String namespace = server.newNamespace("takeover");
        KubernetesClient client = server.client();
        Process first = JavaProcess.start(LeadingOperator.class, Map.of("HOSTNAME", "operator-a"),
                dir.resolve("a.log"), List.of(server.kubeconfig().toString(), namespace));
        Process second = null;
        try {
            awaitHolder(client, namespace, "operator-a");
            second = JavaProcess.start(LeadingOperator.class, Map.of("HOSTNAME", "operator-b"),
                    dir.resolve("b.log"), List.of(server.kubeconfig().toString(), namespace));
            create(client, namespace, "before");
            awaitReconciled(client, namespace, "before");
            assertThat(holder(client, namespace)).isEqualTo("operator-a");

            first.destroy(); // SIGTERM: the leader's pod is stopped
            assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
            awaitHolder(client, namespace, "operator-b");
            create(client, namespace, "after");
            awaitReconciled(client, namespace, "after");
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroyForcibly();
            }
        }
    }

    private static void create(KubernetesClient client, String namespace, String name) {
        BeLLMExperiment experiment = new BeLLMExperiment();
        experiment.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        experiment.setSpec(Specs.tiny("/data/model", "/data/train.jsonl", "/data/dev.jsonl", "bellm-takeover"));
        client.resources(BeLLMExperiment.class).inNamespace(namespace).resource(experiment).create();
    }

    /** Reconciled: the operator wrote a status (here that its MLflow cannot be reached, which it cannot). */
    private static void awaitReconciled(KubernetesClient client, String namespace, String name) {
        client.resources(BeLLMExperiment.class).inNamespace(namespace).withName(name)
                .waitUntilCondition(e -> e != null && e.getStatus() != null && e.getStatus().phase != null,
                        2, TimeUnit.MINUTES);
    }

    private static void awaitHolder(KubernetesClient client, String namespace, String identity) {
        client.leases().inNamespace(namespace).withName("bellm-operator").waitUntilCondition(
                l -> l != null && identity.equals(l.getSpec().getHolderIdentity()), 2, TimeUnit.MINUTES);
    }

    private static String holder(KubernetesClient client, String namespace) {
        return client.leases().inNamespace(namespace).withName("bellm-operator").get().getSpec().getHolderIdentity();
    }

    /** The operator as the application runs it: watching one namespace with a Lease, closed by a shutdown hook. */
    public static final class LeadingOperator {
        public static void main(String[] args) throws Exception {
            KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(Path.of(args[0])))).build();
            OperatorSettings settings = new OperatorSettings("bellm/workers:test", "http://127.0.0.1:1",
                    Duration.ofSeconds(1), Duration.ofSeconds(1));
            BellmOperator operator = BellmOperator.start(client, settings, new RecordingModelEvents(),
                    new SimpleMeterRegistry(), Set.of(args[1]),
                    Optional.of(new LeaderLease("bellm-operator", Optional.of(args[1]), () -> System.exit(1))));
            Runtime.getRuntime().addShutdownHook(new Thread(operator::close));
            Thread.currentThread().join();
        }
    }
}
