package ai.bellm.operator.app;

import ai.bellm.operator.k8s.OperatorSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code bellm.operator.*} settings (environment: {@code BELLM_OPERATOR_*}). */
@ConfigMapping(prefix = "bellm.operator")
public interface OperatorConfig {

    /** Image of the step pods unless an experiment names one. */
    @WithDefault("ghcr.io/bellm/workers:latest")
    String workerImage();

    /** Tracking server unless an experiment names one. */
    @WithDefault("http://mlflow:5000")
    String mlflowUri();

    /**
     * Other tracking servers an experiment's {@code spec.tracking.mlflowUri} may name (a trailing {@code *} allows
     * every URI it begins); an experiment naming any other fails without the operator calling it.
     */
    Optional<List<String>> allowedMlflowUris();

    /**
     * A Secret in each experiment's namespace holding MLflow's credential variables as keys, given to the step pods
     * ({@code envFrom}); unset: the pods get no credentials.
     */
    Optional<String> stepMlflowSecret();

    /** How long one reconcile insists on an unanswering MLflow. */
    @WithDefault("10s")
    Duration trackingTimeout();

    /** First wait before retrying when MLflow or Kafka failed; doubles up to 5 min. */
    @WithDefault("2s")
    Duration retryBackoff();

    /** Experiments reconciled at once (keep it below the MLflow server's database connections). */
    @WithDefault("10")
    int reconcileThreads();

    /** A kubeconfig file to use instead of the usual sources (in-cluster account, KUBECONFIG, ~/.kube/config). */
    Optional<Path> kubeconfig();

    /** Namespaces to watch; all when unset. */
    Optional<List<String>> namespaces();

    Kafka kafka();

    LeaderElection leaderElection();

    /** What the reconciler and the admission webhook work with. */
    default OperatorSettings settings() {
        return new OperatorSettings(workerImage(), mlflowUri(), trackingTimeout(), retryBackoff(), reconcileThreads(),
                allowedMlflowUris().orElse(List.of()), stepMlflowSecret());
    }

    interface Kafka {
        @WithDefault("localhost:9092")
        String bootstrapServers();

        @WithDefault("bellm.model-events")
        String topic();

        /** How long a ModelPromoted send may take before the promotion is retried. */
        @WithDefault("10s")
        Duration timeout();

        /**
         * The producer's properties in a file (Kafka's client config format, mounted from a Secret):
         * {@code security.protocol}, SASL and TLS settings.
         */
        Optional<Path> clientPropertiesFile();
    }

    /** Only the holder of a Lease reconciles, so a second replica (e.g. during a rollout) waits. */
    interface LeaderElection {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("bellm-operator")
        String leaseName();

        /** Namespace of the Lease; default: the operator's own (its service account's). */
        Optional<String> leaseNamespace();
    }
}
