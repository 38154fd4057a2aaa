package ai.bellm.operator.k8s;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a step's pod cannot start, as the scheduler ({@code PodScheduled=False}, reason {@code Unschedulable}) or
 * the kubelet (a container waiting for a reason that does not go away by itself) reports it.
 *
 * @param since when the pod was created: a pod that never started has been failing since then
 */
record PodStartProblem(String pod, String reason, String message, Instant since) {

    /** Waiting reasons that need someone to act (a pulled image, a fixed Secret); ContainerCreating is not one. */
    private static final Set<String> STUCK_WAITING = Set.of("ErrImageNeverPull", "ErrImagePull", "ImagePullBackOff",
            "InvalidImageName", "CreateContainerConfigError", "CreateContainerError");

    /** The first pending pod of {@code pods} that cannot start, if any. */
    static Optional<PodStartProblem> of(List<Pod> pods) {
        return pods.stream().filter(p -> p.getStatus() != null && "Pending".equals(p.getStatus().getPhase()))
                .map(PodStartProblem::of).flatMap(Optional::stream).findFirst();
    }

    private static Optional<PodStartProblem> of(Pod pod) {
        String name = pod.getMetadata().getName();
        Instant created = Instant.parse(pod.getMetadata().getCreationTimestamp());
        List<PodCondition> conditions = pod.getStatus().getConditions() == null ? List.of()
                : pod.getStatus().getConditions();
        for (PodCondition c : conditions) {
            if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                    && "Unschedulable".equals(c.getReason())) {
                return Optional.of(new PodStartProblem(name, c.getReason(), c.getMessage(), created));
            }
        }
        List<ContainerStatus> containers = pod.getStatus().getContainerStatuses() == null ? List.of()
                : pod.getStatus().getContainerStatuses();
        for (ContainerStatus c : containers) {
            ContainerStateWaiting waiting = c.getState() == null ? null : c.getState().getWaiting();
            if (waiting != null && STUCK_WAITING.contains(waiting.getReason())) {
                return Optional.of(new PodStartProblem(name, waiting.getReason(), waiting.getMessage(), created));
            }
        }
        return Optional.empty();
    }

    boolean outlasted(Duration timeout, Instant now) {
        return Duration.between(since, now).compareTo(timeout) > 0;
    }

    String describe() {
        return "pod " + pod + " cannot start: " + reason + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
