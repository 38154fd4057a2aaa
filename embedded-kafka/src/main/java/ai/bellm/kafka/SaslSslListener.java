package ai.bellm.kafka;

import ai.bellm.tls.SelfSignedCertificate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A SASL_SSL listener for {@link EmbeddedKafkaBroker}: SCRAM-SHA-512 for one user, TLS with a self-signed certificate
 * for the broker's address ({@link SelfSignedCertificate}), and the properties a client needs to use it.
 *
 * @param user     the SCRAM user the broker knows
 * @param password that user's password (letters and digits: it goes through the storage tool's syntax)
 */
public record SaslSslListener(String user, String password, Path keystore, Path truststore, String storePassword) {

    public static final String MECHANISM = "SCRAM-SHA-512";

    /** A certificate for {@code host} and its truststore in {@code dir}. */
    static SaslSslListener create(Path dir, String host, String user, String password) {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, "broker", host);
        return new SaslSslListener(user, password, certificate.keystore(), certificate.truststore(),
                certificate.storePassword());
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
}
