package ai.bellm.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.experiment.workflow.Specs;
import ai.bellm.experiment.workflow.StepId;
import ai.bellm.experiment.workflow.StepKind;
import ai.bellm.experiment.workflow.StepLaunch;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepJobsTest {

    private static final StepLaunch TRAIN = new StepLaunch(StepId.of(StepKind.TRAIN), List.of("train"), Map.of(),
            "run-1", true);

    private static BeLLMExperiment tinyExperiment() {
        BeLLMExperiment experiment = new BeLLMExperiment();
        experiment.setMetadata(new ObjectMetaBuilder().withName("tiny").withNamespace("team").withUid("u-1")
                .withGeneration(1L).build());
        experiment.setSpec(Specs.tiny("/data/model", "/data/train.jsonl", "/data/dev.jsonl", "bellm-tiny"));
        return experiment;
    }

    @Test
    void aStepPodMeetsTheRestrictedProfileWithItsWritableDirectoriesOnEmptyDirs() {
        BeLLMExperiment experiment = tinyExperiment();
        experiment.getSpec().data.volumeClaim = "bellm-data";

        PodSpec pod = StepJobs.build(experiment, TRAIN, "http://mlflow:5000", "bellm/workers:dev", Optional.empty())
                .getSpec().getTemplate().getSpec();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        Container worker = pod.getContainers().get(0);
        assertThat(worker.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(worker.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(worker.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(worker.getVolumeMounts()).extracting(VolumeMount::getMountPath, VolumeMount::getReadOnly)
                .containsExactly(tuple("/work", null),
                        tuple("/tmp", null),
                        tuple("/data", true));
        assertThat(pod.getVolumes()).filteredOn(v -> v.getEmptyDir() != null).hasSize(2);
        assertThat(worker.getEnvFrom()).isEmpty();
    }

    @Test
    void aStepPodGetsMlflowCredentialsFromTheNamedSecretOfItsNamespace() {
        Container worker = StepJobs.build(tinyExperiment(), TRAIN, "http://mlflow:5000", "bellm/workers:dev",
                Optional.of("mlflow-credentials")).getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(worker.getEnvFrom()).singleElement()
                .satisfies(from -> assertThat(from.getSecretRef().getName()).isEqualTo("mlflow-credentials"));
        assertThat(worker.getEnv()).noneMatch(e -> e.getName().startsWith("MLFLOW_TRACKING_USERNAME"));
    }
}
