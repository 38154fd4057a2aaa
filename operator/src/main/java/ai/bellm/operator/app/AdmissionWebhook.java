package ai.bellm.operator.app;

import ai.bellm.operator.k8s.ExperimentAdmission;
import ai.bellm.operator.k8s.OperatorSettings;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The validating admission webhook of BeLLMExperiments ({@code admission.k8s.io/v1} AdmissionReview in and out),
 * which the chart's ValidatingWebhookConfiguration points the API server at over HTTPS.
 */
@Path(AdmissionWebhook.PATH)
public class AdmissionWebhook {
    public static final String PATH = "/admission/bellmexperiments";

    private final KubernetesSerialization json;
    private final OperatorSettings settings;

    AdmissionWebhook(KubernetesClient client, OperatorConfig config) {
        this.json = client.getKubernetesSerialization();
        this.settings = config.settings();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public String review(String body) {
        AdmissionReview review = json.unmarshal(body, AdmissionReview.class);
        review.setResponse(ExperimentAdmission.review(review.getRequest(), settings, json));
        review.setRequest(null);
        return json.asJson(review);
    }
}
