package ai.bellm.operator.k8s;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.experiment.workflow.SpecValidator;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the validating admission webhook decides: a new or changed spec the workflow would fail on is refused at
 * {@code kubectl apply}, each problem naming its field from the resource's root ({@code spec.sweep.layers: ...}).
 * The rules are {@link SpecValidator}'s, which the workflow applies again, and the tracking servers the operator may
 * call. An update that leaves the spec as it was (finalizers, labels, annotations) is never refused, so that a rule
 * added later cannot keep an older experiment from being retried or deleted.
 */
public final class ExperimentAdmission {
    private static final int UNPROCESSABLE = 422;

    private ExperimentAdmission() {
    }

    public static AdmissionResponse review(AdmissionRequest request, OperatorSettings settings,
                                           KubernetesSerialization json) {
        BeLLMExperiment experiment = json.convertValue(request.getObject(), BeLLMExperiment.class);
        List<String> problems = specUnchanged(request, experiment, json) ? List.of()
                : problems(experiment.getSpec(), settings);
        AdmissionResponseBuilder response = new AdmissionResponseBuilder().withUid(request.getUid())
                .withAllowed(problems.isEmpty());
        if (!problems.isEmpty()) {
            // kubectl lists the causes, one "* field: message" line each
            List<StatusCause> causes = problems.stream().map(p -> new StatusCauseBuilder()
                    .withField(p.substring(0, p.indexOf(':'))).withMessage(p.substring(p.indexOf(':') + 2))
                    .withReason("FieldValueInvalid").build()).toList();
            response.withStatus(new StatusBuilder().withCode(UNPROCESSABLE).withReason("Invalid")
                    .withMessage(String.join("; ", problems)).withNewDetails().withCauses(causes).endDetails()
                    .build());
        }
        return response.build();
    }

    /** Every reason to refuse the spec, each {@code <field>: <what is wrong>}. */
    public static List<String> problems(BeLLMExperimentSpec spec, OperatorSettings settings) {
        if (spec == null) {
            return List.of("spec: required");
        }
        List<String> problems = new ArrayList<>();
        SpecValidator.problems(spec).forEach(p -> problems.add("spec." + p));
        settings.trackingProblem(spec).ifPresent(problems::add);
        return problems;
    }

    private static boolean specUnchanged(AdmissionRequest request, BeLLMExperiment experiment,
                                         KubernetesSerialization json) {
        if (!"UPDATE".equals(request.getOperation()) || request.getOldObject() == null) {
            return false;
        }
        BeLLMExperiment old = json.convertValue(request.getOldObject(), BeLLMExperiment.class);
        return Objects.equals(json.asJson(old.getSpec()), json.asJson(experiment.getSpec()));
    }
}
