package ai.bellm.tracking;

import java.util.List;
import java.util.Map;

/**
 * A registered model version. {@code source} is what it was created from ({@code runs:/<runId>/<path>});
 * {@code downloadUri} is where its files are ({@code mlflow-artifacts:/...}).
 */
public record ModelVersion(String name, String version, String runId, String source, String status,
                           List<String> aliases, Map<String, String> tags, String downloadUri) {
}
