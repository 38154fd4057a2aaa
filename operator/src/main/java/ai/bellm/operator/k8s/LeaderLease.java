package ai.bellm.operator.k8s;

import java.util.Optional;

/**
 * The Lease whose holder alone reconciles (leader election).
 *
 * @param name      name of the Lease
 * @param namespace its namespace; empty: the operator's own (JOSDK reads it from the service account)
 * @param onLost    run when the Lease is lost while the operator runs (the application exits, to be restarted as a
 *                  follower); not when the operator steps down because it is closed
 */
public record LeaderLease(String name, Optional<String> namespace, Runnable onLost) {
}
