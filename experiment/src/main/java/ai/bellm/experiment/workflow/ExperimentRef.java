package ai.bellm.experiment.workflow;

/** Which experiment resource (or local experiment file) a workflow runs for. */
public record ExperimentRef(String namespace, String name, String uid, long generation) {
}
