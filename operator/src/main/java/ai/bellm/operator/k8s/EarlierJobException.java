package ai.bellm.operator.k8s;

import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * A step's Job name is taken by a Job of an earlier experiment of the same name, not yet gone: it is never adopted
 * (its results are not this experiment's); the reconcile waits for its deletion.
 */
final class EarlierJobException extends RuntimeException {
    EarlierJobException(Job job) {
        super("Job " + job.getMetadata().getName() + " belongs to an earlier experiment of this name (uid "
                + job.getMetadata().getOwnerReferences().stream().map(o -> o.getUid()).findFirst().orElse("none")
                + ") and is not deleted yet");
    }
}
