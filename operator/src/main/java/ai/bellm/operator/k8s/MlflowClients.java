package ai.bellm.operator.k8s;

import ai.bellm.experiment.workflow.MlflowWorkflowTracking;
import ai.bellm.experiment.workflow.WorkflowTracking;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.TrackingConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One MLflow client per tracking server the experiments name, each giving up after {@code timeout} per call. */
public final class MlflowClients implements AutoCloseable {
    private final Duration timeout;
    private final Map<String, MlflowTracking> clients = new ConcurrentHashMap<>();

    public MlflowClients(Duration timeout) {
        this.timeout = timeout;
    }

    public WorkflowTracking at(String uri) {
        return new MlflowWorkflowTracking(clients.computeIfAbsent(uri, u -> new MlflowTracking(TrackingConfig.of(u)
                .withDeadline(timeout).withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2)))));
    }

    @Override
    public void close() {
        clients.values().forEach(MlflowTracking::close);
    }
}
