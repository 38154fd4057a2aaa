package ai.bellm.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A SASL_SSL listener for {@link EmbeddedKafkaBroker}: SCRAM-SHA-512 for one user, TLS with a self-signed certificate
 * for the broker's address (made with the JDK's {@code keytool}), and the properties a client needs to use it.
 *
 * @param user     the SCRAM user the broker knows
 * @param password that user's password (letters and digits: it goes through the storage tool's syntax)
 */
public record SaslSslListener(String user, String password, Path keystore, Path truststore, String storePassword) {

    public static final String MECHANISM = "SCRAM-SHA-512";

    /** A certificate for {@code host} and its truststore in {@code dir}. */
    static SaslSslListener create(Path dir, String host, String user, String password) {
        String storePassword = UUID.randomUUID().toString().replace("-", "");
        Path keystore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("broker.crt");
        Path truststore = dir.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "7",
                "-dname", "CN=" + host, "-ext", "SAN=ip:" + host, "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", storePassword);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(),
                "-storepass", storePassword, "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", storePassword);
        return new SaslSslListener(user, password, keystore, truststore, storePassword);
    }

    /** The broker's settings for the listener named {@code SASL_SSL}. */
    void configure(Properties broker) {
        broker.put("sasl.enabled.mechanisms", MECHANISM);
        broker.put("listener.name.sasl_ssl." + MECHANISM.toLowerCase() + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        broker.put("listener.name.sasl_ssl.ssl.keystore.location", keystore.toString());
        broker.put("listener.name.sasl_ssl.ssl.keystore.password", storePassword);
        broker.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
    }

    /** The storage tool's argument that creates the user's SCRAM credential. */
    List<String> formatArguments() {
        return List.of("--add-scram", MECHANISM + "=[name=" + user + ",password=" + password + "]");
    }

    /** What a client sets to connect as {@code user} with {@code password} (the right one or not). */
    public Map<String, String> clientProperties(String user, String password) {
        return Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                "ssl.truststore.location", truststore.toString(), "ssl.truststore.password", storePassword,
                "ssl.truststore.type", "PKCS12");
    }

    private static void keytool(String... args) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        try {
            Process p = new ProcessBuilder(concat(keytool.toString(), args)).redirectErrorStream(true).start();
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

    private static List<String> concat(String first, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all;
    }
}
