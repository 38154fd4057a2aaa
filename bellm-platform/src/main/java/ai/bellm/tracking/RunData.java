package ai.bellm.tracking;

import java.util.Map;

/** A run as the server stores it. */
public record RunData(String runId, String experimentId, String runName, String status, String artifactUri,
                      Map<String, String> params, Map<String, String> tags) {

    /** The parent's run id, or null for a top-level run. */
    public String parentRunId() {
        return tags.get(TrackingTags.PARENT_RUN_ID);
    }
}
