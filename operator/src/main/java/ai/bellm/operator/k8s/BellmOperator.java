package ai.bellm.operator.k8s;

import ai.bellm.experiment.workflow.ModelEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator without its Quarkus shell: JOSDK with the experiment reconciler, watching {@code namespaces} (all
 * when empty), reconciling only while it holds {@code lease} when one is given. Tests start and stop it directly,
 * e.g. to restart it in the middle of an experiment.
 */
public final class BellmOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BellmOperator.class);
    private final Operator operator;
    private final MlflowClients mlflow;
    private final AtomicBoolean closing;

    private BellmOperator(Operator operator, MlflowClients mlflow, AtomicBoolean closing) {
        this.operator = operator;
        this.mlflow = mlflow;
        this.closing = closing;
    }

    public static BellmOperator start(KubernetesClient client, OperatorSettings settings, ModelEvents events,
                                      MeterRegistry registry, Set<String> namespaces, Optional<LeaderLease> lease) {
        MlflowClients mlflow = new MlflowClients(settings.trackingTimeout());
        AtomicBoolean closing = new AtomicBoolean();
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client).withCloseClientOnStop(false)
                    .withConcurrentReconciliationThreads(settings.reconcileThreads());
            lease.ifPresent(l -> o.withLeaderElectionConfiguration(leaderElection(l, closing)));
        });
        ExperimentReconciler reconciler = new ExperimentReconciler(client, settings, mlflow, events,
                new OperatorMetrics(registry));
        operator.register(reconciler, c -> {
            // JOSDK's generation filter would also drop the retry annotation: ExperimentReconciler's own filter
            c.withGenerationAware(false).withOnUpdateFilter(ExperimentReconciler::wakesUp);
            if (!namespaces.isEmpty()) {
                c.settingNamespaces(namespaces);
            }
        });
        operator.start();
        return new BellmOperator(operator, mlflow, closing);
    }

    /**
     * JOSDK's leader election with {@link LeaderLease#onLost()} instead of JOSDK's exit-on-stop-leading, which
     * also exits when the operator is closed: inside the shutdown hook that closes it, where System.exit hangs the JVM.
     */
    private static LeaderElectionConfiguration leaderElection(LeaderLease lease, AtomicBoolean closing) {
        LeaderCallbacks callbacks = new LeaderCallbacks(() -> { }, () -> {
            if (!closing.get()) {
                LOG.error("lost the Lease {}", lease.name());
                lease.onLost().run();
            }
        }, leader -> { });
        return new LeaderElectionConfiguration(lease.name(), lease.namespace().orElse(null),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null, callbacks, false);
    }

    /** Started, and every informer is connected. */
    public boolean healthy() {
        return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    @Override
    public void close() {
        closing.set(true);
        operator.stop();
        mlflow.close();
    }
}
