package ai.bellm.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real kube-apiserver + etcd: the one whose kubeconfig {@code BELLM_TEST_KUBECONFIG} names (CI starts it once), else
 * one started by {@code scripts/kube-apiserver.sh} in {@code target/kube-apiserver} and stopped by {@link #close()}.
 */
public final class KubeApiServer implements AutoCloseable {
    public static final String KUBECONFIG_ENV = "BELLM_TEST_KUBECONFIG";
    private final Path stateDir; // null when external
    private final Path kubeconfig;
    private final KubernetesClient client;

    private KubeApiServer(Path stateDir, Path kubeconfig) throws IOException {
        this.stateDir = stateDir;
        this.kubeconfig = kubeconfig;
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        this.client = new KubernetesClientBuilder().withConfig(config).build();
    }

    public static KubeApiServer startOrReuse() {
        try {
            String external = System.getenv(KUBECONFIG_ENV);
            if (external != null && !external.isBlank()) {
                return new KubeApiServer(null, Path.of(external));
            }
            Path state = Path.of("target", "kube-apiserver").toAbsolutePath();
            return new KubeApiServer(state, Path.of(script("start", state)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public KubernetesClient client() {
        return client;
    }

    /** A new namespace with its default ServiceAccount (no controller-manager here creates it). */
    public String newNamespace(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        client.serviceAccounts().inNamespace(name).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("default").endMetadata().build()).create();
        return name;
    }

    /** Installs (or updates) the CRD committed under crds/ and waits until it is served. */
    public void installCrd() {
        try (var in = Files.newInputStream(Path.of("..", "crds", "bellmexperiments.bellm.ai-v1.yml"))) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
            client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
                            .anyMatch(s -> "Established".equals(s.getType()) && "True".equals(s.getStatus())),
                            30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        if (stateDir != null) {
            script("stop", stateDir);
        }
    }

    private static String script(String command, Path state) {
        Path script = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && script == null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("scripts/kube-apiserver.sh"))) {
                script = dir.resolve("scripts/kube-apiserver.sh");
            }
        }
        if (script == null) {
            throw new IllegalStateException("scripts/kube-apiserver.sh not found");
        }
        try {
            Process p = new ProcessBuilder(script.toString(), command, state.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            // the first start may build kube-apiserver (~8 min on 2 cores)
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("kube-apiserver.sh " + command + " failed: " + out);
            }
            return out.lines().reduce((a, b) -> b).orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
