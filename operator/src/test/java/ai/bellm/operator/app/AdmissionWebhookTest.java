package ai.bellm.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.api.BeLLMExperiment;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's admission webhook, called by the real kube-apiserver for {@code kubectl apply} (the webhook is
 * registered for this test's namespace only, and removed after it).
 */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
class AdmissionWebhookTest {
    private static final String NAMESPACE_LABEL = "bellm.ai/admission-test";

    @TestHTTPResource(value = AdmissionWebhook.PATH, tls = true)
    URI webhook;

    private KubernetesClient client;
    private ValidatingWebhookConfiguration registered;

    @BeforeEach
    void register() throws Exception {
        client = KubeApiServerResource.server.client();
        String namespace = KubeApiServerResource.namespace;
        client.namespaces().withName(namespace).edit(n -> {
            n.getMetadata().setLabels(Map.of(NAMESPACE_LABEL, namespace));
            return n;
        });
        String caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(
                KubeApiServerResource.certificate.certificate()));
        URI url = URI.create("https://127.0.0.1:" + webhook.getPort() + AdmissionWebhook.PATH);
        registered = client.admissionRegistration().v1().validatingWebhookConfigurations().resource(
                new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName("bellm-test-" + namespace)
                        .endMetadata()
                        .addNewWebhook().withName("bellmexperiments.bellm.ai").withAdmissionReviewVersions("v1")
                        .withSideEffects("None").withFailurePolicy("Fail").withTimeoutSeconds(10)
                        .withNewClientConfig().withUrl(url.toString()).withCaBundle(caBundle).endClientConfig()
                        .addNewRule().withApiGroups(BeLLMExperiment.GROUP).withApiVersions(BeLLMExperiment.VERSION)
                        .withOperations("CREATE", "UPDATE").withResources("bellmexperiments")
                        .withScope("Namespaced").endRule()
                        .withNewNamespaceSelector().withMatchLabels(Map.of(NAMESPACE_LABEL, namespace))
                        .endNamespaceSelector()
                        .endWebhook().build()).create();
    }

    @AfterEach
    void unregister() {
        client.resource(registered).delete();
    }

    @Test
    void kubectlApplyOfASpecTheWorkflowWouldFailOnIsRefusedWithItsFieldsNamed(@TempDir Path dir) throws Exception {
        Path invalid = dir.resolve("invalid.yaml");
        Files.writeString(invalid, experiment("refused", """
                  sweep:
                    layers: 1-99999999999
                  evaluation:
                    tasks: ["dev=stsb:/data/dev.tsv", "dev=sick:/data/sick.txt"]
                """).replace("registeredModel: tiny", "registeredModel: tiny\n    metric: dev_kendall"));
        Kubectl refused = kubectl("apply", "-f", invalid.toString());
        assertThat(refused.exit()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("The request is invalid")
                .contains("* spec.sweep.layers: bad range '1-99999999999': number too large")
                .contains("* spec.evaluation.tasks: ").contains("duplicate task name 'dev'");
        // what the schema can say, it says first
        Files.writeString(invalid, experiment("refused", """
                  training:
                    prompt: 'no placeholder'
                """));
        Kubectl schema = kubectl("apply", "-f", invalid.toString());
        assertThat(schema.exit()).as(schema.output()).isNotZero();
        assertThat(schema.output()).contains("spec.training.prompt");
        Files.writeString(invalid, experiment("refused", "").replace("registeredModel: tiny",
                "registeredModel: tiny\n    metric: dev_kendall"));
        Kubectl metric = kubectl("apply", "-f", invalid.toString());
        assertThat(metric.output()).contains("spec.promotion.metric: the evaluation logs no 'dev_kendall'");
        assertThat(client.resources(BeLLMExperiment.class).inNamespace(KubeApiServerResource.namespace)
                .withName("refused").get()).isNull();

        Path valid = dir.resolve("valid.yaml");
        Files.writeString(valid, experiment("accepted", """
                  sweep:
                    layers: 1-4
                """));
        Kubectl accepted = kubectl("apply", "-f", valid.toString());
        assertThat(accepted.exit()).as(accepted.output()).isZero();

        // an edit that breaks the spec is refused too; the stored one stays
        Kubectl edited = kubectl("patch", "bexp", "accepted", "--type", "merge", "-p",
                "{\"spec\":{\"sweep\":{\"layers\":\"4-1\"}}}");
        assertThat(edited.exit()).as(edited.output()).isNotZero();
        assertThat(edited.output()).contains("spec.sweep.layers");
        assertThat(client.resources(BeLLMExperiment.class).inNamespace(KubeApiServerResource.namespace)
                .withName("accepted").get().getSpec().sweep.layers).isEqualTo("1-4");
    }

    private static String experiment(String name, String extra) {
        return """
                apiVersion: bellm.ai/v1alpha1
                kind: BeLLMExperiment
                metadata:
                  name: %s
                spec:
                  baseModel:
                    uri: /models/tiny
                  data:
                    train: ["train=jsonl:/data/train.jsonl"]
                    eval: ["dev=jsonl:/data/dev.jsonl"]
                  promotion:
                    registeredModel: tiny
                %s""".formatted(name, extra);
    }

    private record Kubectl(int exit, String output) {
    }

    private static Kubectl kubectl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("kubectl", "--kubeconfig",
                KubeApiServerResource.server.kubeconfig().toString(), "--request-timeout", "20s", "-n",
                KubeApiServerResource.namespace));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl " + String.join(" ", args)).isTrue();
        return new Kubectl(p.exitValue(), output);
    }
}
