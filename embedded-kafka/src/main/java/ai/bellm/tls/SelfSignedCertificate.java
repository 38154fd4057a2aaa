package ai.bellm.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for one IP address, made with the JDK's {@code keytool}: its key in a PKCS12
 * {@code keystore}, the certificate as PEM (what a client, or the API server's {@code caBundle}, trusts), and a
 * {@code truststore} holding it.
 */
public record SelfSignedCertificate(Path keystore, Path certificate, Path truststore, String storePassword) {

    /** A certificate for {@code ip}, valid for a week, in {@code dir} under {@code name}.p12 / .crt. */
    public static SelfSignedCertificate create(Path dir, String name, String ip) {
        String storePassword = UUID.randomUUID().toString().replace("-", "");
        Path keystore = dir.resolve(name + ".p12");
        Path certificate = dir.resolve(name + ".crt");
        Path truststore = dir.resolve(name + "-truststore.p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "7",
                "-dname", "CN=" + ip, "-ext", "SAN=ip:" + ip, "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", storePassword);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", keystore.toString(),
                "-storepass", storePassword, "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", name, "-file", certificate.toString(),
                "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", storePassword);
        return new SelfSignedCertificate(keystore, certificate, truststore, storePassword);
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
