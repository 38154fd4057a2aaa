package ai.bellm.operator.k8s;

import ai.bellm.experiment.workflow.ModelEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.Set;

/**
 * The operator without its Quarkus shell: JOSDK with the experiment reconciler, watching {@code namespaces} (all
 * when empty), reconciling only while it holds the Lease when {@code leaderElection} is given. Tests start and stop
 * it directly, e.g. to restart it in the middle of an experiment.
 */
public final class BellmOperator implements AutoCloseable {
    private final Operator operator;
    private final MlflowClients mlflow;

    private BellmOperator(Operator operator, MlflowClients mlflow) {
        this.operator = operator;
        this.mlflow = mlflow;
    }

    public static BellmOperator start(KubernetesClient client, OperatorSettings settings, ModelEvents events,
                                      MeterRegistry registry, Set<String> namespaces,
                                      Optional<LeaderElectionConfiguration> leaderElection) {
        MlflowClients mlflow = new MlflowClients(settings.trackingTimeout());
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client).withCloseClientOnStop(false);
            leaderElection.ifPresent(o::withLeaderElectionConfiguration);
        });
        ExperimentReconciler reconciler = new ExperimentReconciler(client, settings, mlflow, events,
                new OperatorMetrics(registry));
        operator.register(reconciler, c -> {
            if (!namespaces.isEmpty()) {
                c.settingNamespaces(namespaces);
            }
        });
        operator.start();
        return new BellmOperator(operator, mlflow);
    }

    /** Started, and every informer is connected. */
    public boolean healthy() {
        return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    @Override
    public void close() {
        operator.stop();
        mlflow.close();
    }
}
