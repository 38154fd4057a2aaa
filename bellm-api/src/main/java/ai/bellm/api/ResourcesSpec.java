package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

public class ResourcesSpec {
    @JsonPropertyDescription("Workers image (default: the operator's configured image).")
    public String image;

    @Default("0")
    @Min(0)
    @Max(16)
    @JsonPropertyDescription("nvidia.com/gpu requested by the training Job.")
    public int gpus;

    @JsonPropertyDescription("Node selector of the step pods (e.g. GPU nodes).")
    public Map<String, String> nodeSelector;

    public List<Toleration> tolerations;

    @JsonPropertyDescription("Affinity of the step pods (node affinity, pod affinity and anti-affinity).")
    public Affinity affinity;

    @JsonPropertyDescription("PriorityClass of the step pods.")
    public String priorityClassName;

    @JsonPropertyDescription("ServiceAccount the step pods run as; its token is never mounted (the workers do not"
            + " call the API server).")
    public String serviceAccountName;

    @JsonPropertyDescription("Secrets to pull the workers image with.")
    public List<LocalObjectReference> imagePullSecrets;

    @JsonPropertyDescription("More environment variables of every step container, e.g. from Secrets"
            + " (valueFrom.secretKeyRef); the operator's own (MLFLOW_TRACKING_URI, MLFLOW_RUN_ID, ...) win.")
    public List<EnvVar> env;

    @JsonPropertyDescription("Whole Secrets or ConfigMaps as environment of every step container.")
    public List<EnvFromSource> envFrom;

    @JsonPropertyDescription("More labels of the step Jobs and their pods, e.g. kueue.x-k8s.io/queue-name for Kueue"
            + " to admit the Jobs; the operator's own (bellm.ai/*, app.kubernetes.io/managed-by) win.")
    public Map<String, String> labels;

    @JsonPropertyDescription("Annotations of the step Jobs and their pods.")
    public Map<String, String> annotations;

    @JsonPropertyDescription("Container requests of every step (cpu, memory, ...).")
    public Map<String, Quantity> requests;

    @JsonPropertyDescription("Container limits of every step.")
    public Map<String, Quantity> limits;

    @Default("1")
    @Min(0)
    @Max(10)
    @JsonPropertyDescription("Retries of a failed step pod before the experiment fails.")
    public int backoffLimit = 1;

    @Default("86400")
    @Min(60)
    @JsonPropertyDescription("Longest run of one step Job, in seconds.")
    public long activeDeadlineSeconds = 86400;

    @Default("600")
    @Min(10)
    @JsonPropertyDescription("How long a step pod may fail to start (unschedulable, image missing, bad container"
            + " config) before the experiment fails, in seconds. Meanwhile condition Ready=False names the"
            + " scheduler's or kubelet's reason.")
    public long startTimeoutSeconds = 600;
}
