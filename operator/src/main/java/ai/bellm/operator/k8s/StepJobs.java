package ai.bellm.operator.k8s;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.ResourcesSpec;
import ai.bellm.experiment.workflow.StepLaunch;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.TrackingConfig;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Builds the Job of a step: the worker command in the workers image, owned by its experiment. */
public final class StepJobs {
    public static final String LABEL_EXPERIMENT = "bellm.ai/experiment";
    public static final String LABEL_STEP = "bellm.ai/step";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String CONTAINER = "worker";
    public static final String COMMAND = "bellm";
    /** The step's working directory: an emptyDir, so the root filesystem can stay read-only. */
    public static final String WORK_DIR = "/work";
    /** An emptyDir too: the workers image extracts libtorch there (DJL_CACHE_DIR), so it must allow execution. */
    public static final String TMP_DIR = "/tmp";
    /** The workers image's user. */
    public static final long USER_ID = 10001;
    public static final String GPU = "nvidia.com/gpu";

    private StepJobs() {
    }

    /**
     * @param mlflowSecret a Secret of the experiment's namespace whose keys are MLflow's credential variables, for
     *                     the pod's environment; a missing one keeps the pod from starting, which the experiment's
     *                     status then names ({@code CreateContainerConfigError})
     */
    public static Job build(BeLLMExperiment experiment, StepLaunch launch, String mlflowUri, String defaultImage,
                            Optional<String> mlflowSecret) {
        ResourcesSpec resources = experiment.getSpec().resources;
        String name = JobNames.of(experiment.getMetadata().getName(), launch.key());
        Map<String, String> labels = new LinkedHashMap<>(resources.labels == null ? Map.of() : resources.labels);
        labels.put(MANAGED_BY, "bellm-operator");
        labels.put(LABEL_EXPERIMENT, label(experiment.getMetadata().getName()));
        labels.put(LABEL_STEP, launch.id().name());

        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar(TrackingConfig.TRACKING_URI_ENV, mlflowUri, null));
        env.add(new EnvVar(MlflowTracking.RUN_ID_ENV, launch.runId(), null));
        launch.env().forEach((k, v) -> env.add(new EnvVar(k, v, null)));
        if (resources.env != null) { // the operator's variables first: Kubernetes takes the first of a name
            resources.env.stream().filter(e -> env.stream().noneMatch(own -> own.getName().equals(e.getName())))
                    .forEach(env::add);
        }
        List<EnvFromSource> envFrom = new ArrayList<>(resources.envFrom == null ? List.of() : resources.envFrom);
        mlflowSecret.ifPresent(secret -> envFrom.add(new EnvFromSourceBuilder().withNewSecretRef().withName(secret)
                .endSecretRef().build()));

        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        addEmptyDir("work", WORK_DIR, volumes, mounts);
        addEmptyDir("tmp", TMP_DIR, volumes, mounts);
        String claim = experiment.getSpec().data.volumeClaim;
        if (claim != null && !claim.isBlank()) {
            volumes.add(new VolumeBuilder().withName("data").withNewPersistentVolumeClaim(claim, true).build());
            mounts.add(new VolumeMountBuilder().withName("data").withMountPath(experiment.getSpec().data.mountPath)
                    .withReadOnly(true).build());
        }

        Map<String, Quantity> limits = new HashMap<>(resources.limits == null ? Map.of() : resources.limits);
        Map<String, Quantity> requests = new HashMap<>(resources.requests == null ? Map.of() : resources.requests);
        if (launch.gpu() && resources.gpus > 0) { // extended resources: requests must equal limits
            limits.put(GPU, new Quantity(Integer.toString(resources.gpus)));
            requests.put(GPU, new Quantity(Integer.toString(resources.gpus)));
        }

        return new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(experiment.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(resources.annotations).withOwnerReferences(owner(experiment))
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(resources.backoffLimit)
                .withActiveDeadlineSeconds(resources.activeDeadlineSeconds)
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).withAnnotations(resources.annotations).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(resources.serviceAccountName)
                .withPriorityClassName(resources.priorityClassName)
                .withAffinity(resources.affinity)
                .withImagePullSecrets(resources.imagePullSecrets)
                .withAutomountServiceAccountToken(false) // workers talk to MLflow, never to the API server
                .withSecurityContext(restrictedPod())
                .withNodeSelector(resources.nodeSelector)
                .withTolerations(resources.tolerations)
                .withVolumes(volumes)
                .withContainers(new ContainerBuilder()
                        .withName(CONTAINER)
                        .withImage(resources.image != null ? resources.image : defaultImage)
                        .withCommand(COMMAND)
                        .withArgs(launch.args())
                        .withWorkingDir(WORK_DIR)
                        .withEnv(env)
                        .withEnvFrom(envFrom)
                        .withVolumeMounts(mounts)
                        .withResources(new ResourceRequirementsBuilder().withLimits(limits).withRequests(requests)
                                .build())
                        // the worker's last log lines become the pod's termination message: the failure reason
                        .withTerminationMessagePolicy("FallbackToLogsOnError")
                        .withSecurityContext(restrictedContainer())
                        .build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static void addEmptyDir(String name, String path, List<Volume> volumes, List<VolumeMount> mounts) {
        volumes.add(new VolumeBuilder().withName(name).withNewEmptyDir().endEmptyDir().build());
        mounts.add(new VolumeMountBuilder().withName(name).withMountPath(path).build());
    }

    /** Kubernetes' "restricted" pod security profile, as the workers image's user. */
    static PodSecurityContext restrictedPod() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true).withRunAsUser(USER_ID).withRunAsGroup(USER_ID).withFsGroup(USER_ID)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    static SecurityContext restrictedContainer() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }

    /**
     * Deletes the experiment's own Jobs ({@code step}'s only, when given), their pods with them: the garbage
     * collector's work, in the background. The labels only narrow the list: the experiment's is cut to 63
     * characters, so two experiments can share it; the owner reference decides.
     */
    static void delete(KubernetesClient client, BeLLMExperiment experiment, Optional<String> step) {
        var jobs = client.batch().v1().jobs().inNamespace(experiment.getMetadata().getNamespace())
                .withLabel(LABEL_EXPERIMENT, label(experiment.getMetadata().getName()));
        (step.isPresent() ? jobs.withLabel(LABEL_STEP, step.get()) : jobs).list().getItems().stream()
                .filter(job -> ownedBy(job, experiment.getMetadata().getUid()))
                .forEach(job -> client.batch().v1().jobs().resource(job)
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
    }

    /** What the API server said when it refused a call: its status message, else the exception's. */
    static String apiServerMessage(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : Objects.requireNonNullElse(e.getMessage(), e.toString());
    }

    /** Whether {@code job} belongs to the experiment of {@code uid} (its owner reference), not to a namesake. */
    static boolean ownedBy(Job job, String uid) {
        return job.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid()));
    }

    /** Label values are at most 63 characters. */
    static String label(String value) {
        return value.length() <= 63 ? value : value.substring(0, 63).replaceAll("[-.]+$", "");
    }

    static OwnerReference owner(BeLLMExperiment experiment) {
        return new OwnerReferenceBuilder()
                .withApiVersion(experiment.getApiVersion())
                .withKind(experiment.getKind())
                .withName(experiment.getMetadata().getName())
                .withUid(experiment.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }
}
