package ai.bellm.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.ResourcesSpec;
import ai.bellm.experiment.workflow.Specs;
import ai.bellm.experiment.workflow.StepId;
import ai.bellm.experiment.workflow.StepKey;
import ai.bellm.experiment.workflow.StepKind;
import ai.bellm.experiment.workflow.StepLaunch;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepJobsTest {

    private static final StepLaunch TRAIN = new StepLaunch(new StepKey(StepId.of(StepKind.TRAIN), "0123456789abcdef", 0), List.of("train"), Map.of(),
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

    @Test
    void theStepPodTemplatePassesThroughWhatTheSpecGivesAndKeepsTheOperatorsOwn() {
        BeLLMExperiment experiment = tinyExperiment();
        ResourcesSpec resources = experiment.getSpec().resources;
        resources.affinity = new AffinityBuilder().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .addNewMatchExpression().withKey("gpu").withOperator("Exists").endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        resources.priorityClassName = "batch-low";
        resources.serviceAccountName = "bellm-steps";
        resources.imagePullSecrets = List.of(new LocalObjectReference("registry"));
        resources.env = List.of(new EnvVarBuilder().withName("HF_TOKEN").withNewValueFrom().withNewSecretKeyRef()
                .withName("hf").withKey("token").endSecretKeyRef().endValueFrom().build(),
                new EnvVar("MLFLOW_RUN_ID", "not-the-operators", null));
        resources.envFrom = List.of(new EnvFromSourceBuilder().withNewConfigMapRef().withName("proxy")
                .endConfigMapRef().build());
        resources.labels = Map.of("kueue.x-k8s.io/queue-name", "team-a", "bellm.ai/step", "mine");
        resources.annotations = Map.of("team", "a");

        Job job = StepJobs.build(experiment, TRAIN, "http://mlflow:5000", "bellm/workers:dev",
                Optional.of("mlflow-credentials"));
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container worker = pod.getContainers().get(0);

        assertThat(job.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "team-a")
                .containsEntry("bellm.ai/step", "train");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("kueue.x-k8s.io/queue-name", "team-a");
        assertThat(job.getMetadata().getAnnotations()).containsEntry("team", "a");
        assertThat(pod.getAffinity()).isEqualTo(resources.affinity);
        assertThat(pod.getPriorityClassName()).isEqualTo("batch-low");
        assertThat(pod.getServiceAccountName()).isEqualTo("bellm-steps");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getImagePullSecrets()).extracting(LocalObjectReference::getName).containsExactly("registry");
        assertThat(worker.getEnv()).filteredOn(e -> e.getName().equals("MLFLOW_RUN_ID")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("run-1"));
        assertThat(worker.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("HF_TOKEN");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf");
        });
        assertThat(worker.getEnvFrom()).hasSize(2);
    }
}
