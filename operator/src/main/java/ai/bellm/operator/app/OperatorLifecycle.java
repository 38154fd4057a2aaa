package ai.bellm.operator.app;

import ai.bellm.operator.k8s.BellmOperator;
import ai.bellm.operator.k8s.LeaderLease;
import ai.bellm.experiment.workflow.KafkaModelEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** Starts the operator with the application and stops it with it. */
@ApplicationScoped
public class OperatorLifecycle {
    private volatile BellmOperator operator;

    void start(@Observes StartupEvent event, KubernetesClient client, OperatorConfig config, KafkaModelEvents events,
               MeterRegistry registry) {
        operator = BellmOperator.start(client, config.settings(), events, registry,
                new HashSet<>(config.namespaces().orElse(List.of())), leaderElection(config.leaderElection()));
    }

    /**
     * The Lease of the settings, when leader election is on (its holder's identity is the pod's host name). Losing
     * it ends the process, so that Kubernetes restarts the operator as a follower; the exit runs on a thread of its
     * own, so the shutdown does not wait for the leader election's thread that asks for it.
     */
    static Optional<LeaderLease> leaderElection(OperatorConfig.LeaderElection settings) {
        return settings.enabled() ? Optional.of(new LeaderLease(settings.leaseName(), settings.leaseNamespace(),
                () -> new Thread(() -> System.exit(1), "lost-lease-exit").start())) : Optional.empty();
    }

    void stop(@Observes ShutdownEvent event) {
        if (operator != null) {
            operator.close();
        }
    }

    boolean healthy() {
        return operator != null && operator.healthy();
    }
}
