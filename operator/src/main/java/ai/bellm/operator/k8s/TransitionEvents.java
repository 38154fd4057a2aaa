package ai.bellm.operator.k8s;

import ai.bellm.api.BeLLMExperiment;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Kubernetes Event per phase transition ({@code kubectl describe bexp} shows them). */
public final class TransitionEvents {
    private static final Logger LOG = LoggerFactory.getLogger(TransitionEvents.class);
    private final KubernetesClient client;

    public TransitionEvents(KubernetesClient client) {
        this.client = client;
    }

    public void record(BeLLMExperiment experiment, String reason, String message, boolean warning) {
        String now = Instant.now().toString();
        Event event = new EventBuilder()
                .withNewMetadata().withNamespace(experiment.getMetadata().getNamespace())
                .withName(experiment.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(experiment.getApiVersion())
                        .withKind(experiment.getKind()).withName(experiment.getMetadata().getName())
                        .withNamespace(experiment.getMetadata().getNamespace())
                        .withUid(experiment.getMetadata().getUid()).build())
                .withReason(reason).withMessage(message).withType(warning ? "Warning" : "Normal")
                .withNewSource().withComponent("bellm-operator").endSource()
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        try {
            client.v1().events().resource(event).create();
        } catch (RuntimeException e) { // an event is informative: never fail a reconcile for it
            LOG.warn("could not record event {} for {}: {}", reason, experiment.getMetadata().getName(), e.toString());
        }
    }
}
