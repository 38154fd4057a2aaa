package ai.bellm.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A BeLLM experiment: {@code kubectl apply} one and the operator sweeps, trains, evaluates and maybe promotes. */
@Group(BeLLMExperiment.GROUP)
@Version(BeLLMExperiment.VERSION)
@ShortNames("bexp")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.progress", type = Type.STRING)
@AdditionalPrinterColumn(name = "Turning point", jsonPath = ".status.turningPoint", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Score", jsonPath = ".status.score", type = Type.NUMBER)
@AdditionalPrinterColumn(name = "Model version", jsonPath = ".status.modelVersion", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
// no initStatus(): a status the server does not have would make the operator's JSON patches target missing paths
public class BeLLMExperiment extends CustomResource<BeLLMExperimentSpec, BeLLMExperimentStatus> implements Namespaced {
    public static final String GROUP = "bellm.ai";
    public static final String VERSION = "v1alpha1";
    /**
     * {@code kubectl annotate bexp NAME bellm.ai/retry=$(date +%s) --overwrite}: a Failed experiment retries its
     * failed steps, keeping every step that succeeded.
     */
    public static final String RETRY_ANNOTATION = GROUP + "/retry";
}
