package ai.bellm.operator.k8s;

import java.util.Optional;

/**
 * The Lease whose holder alone reconciles (leader election).
 *
 * @param name      name of the Lease
 * @param namespace its namespace; empty: the operator's own (JOSDK reads it from the service account)
 */
public record LeaderLease(String name, Optional<String> namespace) {
}
