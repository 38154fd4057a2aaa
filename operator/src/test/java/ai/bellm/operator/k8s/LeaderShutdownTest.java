package ai.bellm.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.testing.JavaProcess;
import ai.bellm.testing.KubeApiServer;
import ai.bellm.testing.KubeApiServerExtension;
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
 * An operator that holds its Lease stops on SIGTERM, as a pod must. (With JOSDK's own exit-on-stop-leading, closing
 * the operator from the shutdown hook called System.exit inside it and the JVM hung.)
 */
@ExtendWith(KubeApiServerExtension.class)
class LeaderShutdownTest {

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

    /** The operator as the application runs it: watching one namespace with a Lease, closed by a shutdown hook. */
    public static final class LeadingOperator {
        public static void main(String[] args) throws Exception {
            KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(Path.of(args[0])))).build();
            OperatorSettings settings = new OperatorSettings("bellm/workers:test", "http://127.0.0.1:1",
                    Duration.ofSeconds(1), Duration.ofSeconds(1));
            BellmOperator operator = BellmOperator.start(client, settings, (model, version, metrics, ref) -> { },
                    new SimpleMeterRegistry(), Set.of(args[1]),
                    Optional.of(new LeaderLease("bellm-operator", Optional.of(args[1]), () -> System.exit(1))));
            Runtime.getRuntime().addShutdownHook(new Thread(operator::close));
            Thread.currentThread().join();
        }
    }
}
