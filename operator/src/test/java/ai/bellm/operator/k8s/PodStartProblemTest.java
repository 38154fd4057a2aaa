package ai.bellm.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodStartProblemTest {
    private static final String CREATED = "2026-12-03T10:00:00Z";

    private static PodBuilder pending(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withCreationTimestamp(CREATED).endMetadata()
                .withNewStatus().withPhase("Pending").endStatus();
    }

    @Test
    void theSchedulersUnschedulableIsAProblem() {
        Pod pod = pending("p").editStatus().addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/1 nodes are available: 1 Insufficient cpu.").endCondition()
                .endStatus().build();

        PodStartProblem problem = PodStartProblem.of(List.of(pod)).orElseThrow();

        assertThat(problem.reason()).isEqualTo("Unschedulable");
        assertThat(problem.describe()).isEqualTo("pod p cannot start: Unschedulable: 0/1 nodes are available: 1"
                + " Insufficient cpu.");
        assertThat(problem.outlasted(Duration.ofSeconds(60), Instant.parse(CREATED).plusSeconds(59))).isFalse();
        assertThat(problem.outlasted(Duration.ofSeconds(60), Instant.parse(CREATED).plusSeconds(61))).isTrue();
    }

    @Test
    void aMissingImageIsAProblemButAContainerBeingCreatedIsNot() {
        Pod missing = pending("missing").editStatus().addNewContainerStatus().withName("worker").withNewState()
                .withNewWaiting().withReason("ErrImageNeverPull").withMessage("image not present").endWaiting()
                .endState().endContainerStatus().endStatus().build();
        Pod creating = pending("creating").editStatus().addNewContainerStatus().withName("worker").withNewState()
                .withNewWaiting().withReason("ContainerCreating").endWaiting().endState().endContainerStatus()
                .endStatus().build();

        assertThat(PodStartProblem.of(List.of(creating))).isEmpty();
        assertThat(PodStartProblem.of(List.of(creating, missing))).map(PodStartProblem::pod).contains("missing");
    }

    @Test
    void aRunningOrFinishedPodIsNoProblem() {
        Pod running = pending("r").editStatus().withPhase("Running").endStatus().build();
        Pod failed = pending("f").editStatus().withPhase("Failed").endStatus().build();

        assertThat(PodStartProblem.of(List.of(running, failed))).isEmpty();
    }
}
