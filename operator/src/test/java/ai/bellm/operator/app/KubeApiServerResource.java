package ai.bellm.operator.app;

import ai.bellm.testing.KubeApiServer;
import ai.bellm.tls.SelfSignedCertificate;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The application under test talks to the real kube-apiserver, watching a namespace of its own, and serves HTTPS
 * with a certificate for 127.0.0.1, where that API server can call its admission webhook.
 */
public class KubeApiServerResource implements QuarkusTestResourceLifecycleManager {
    static volatile KubeApiServer server;
    static volatile String namespace;
    static volatile SelfSignedCertificate certificate;

    @Override
    public Map<String, String> start() {
        server = KubeApiServer.startOrReuse();
        server.installCrd();
        namespace = server.newNamespace("quarkus");
        try {
            certificate = SelfSignedCertificate.create(Files.createTempDirectory("bellm-webhook"), "webhook",
                    "127.0.0.1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("bellm.operator.kubeconfig", server.kubeconfig().toString(),
                "bellm.operator.namespaces", namespace,
                "bellm.operator.kafka.bootstrap-servers", "127.0.0.1:1",
                "quarkus.tls.key-store.p12.path", certificate.keystore().toString(),
                "quarkus.tls.key-store.p12.password", certificate.storePassword(),
                "quarkus.http.test-ssl-port", "0");
    }

    @Override
    public void stop() {
        server.close();
        Path dir = certificate.keystore().getParent();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
