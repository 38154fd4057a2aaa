package ai.bellm.serve;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Bearer API keys on {@code /embed}, {@code /v1/embeddings} and {@code /model} when {@code bellm.rest.api-keys} is
 * set (e.g. from a Secret); off when it is not. Health, metrics and OpenAPI stay open: probes and scrapers carry no
 * key, and those are not JAX-RS resources, so this filter never sees them. Keys are compared by their SHA-256 digests
 * in constant time and never logged.
 */
public class ApiKeys {

    private final List<byte[]> digests;

    ApiKeys(ServiceConfig config) {
        this.digests = config.rest().apiKeys().orElse(List.of()).stream().map(String::strip)
                .filter(key -> !key.isEmpty()).map(ApiKeys::digest).toList();
    }

    @ServerRequestFilter
    public void requireKey(ContainerRequestContext request) {
        if (!digests.isEmpty() && !accepts(request.getHeaderString("Authorization"))) {
            throw RequestRejectedException.unauthorized();
        }
    }

    /** Whether an {@code Authorization} header carries one of the keys. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] offered = digest(authorization.substring(7).strip());
        boolean accepted = false;
        for (byte[] key : digests) {
            accepted |= MessageDigest.isEqual(key, offered); // every key compared: the time tells nothing
        }
        return accepted;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
