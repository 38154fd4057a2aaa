package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
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
