package ai.bellm.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** MLflow's model registry: models, versions made from run artifacts, aliases, version tags. */
public final class ModelRegistry {
    public static final String CHAMPION = "champion";
    public static final String CHALLENGER = "challenger";
    public static final String PREVIOUS = "previous";

    private static final Pattern MODEL_URI = Pattern.compile("models:/([^/@]+)(?:@([^/]+)|/(\\d+))/?");

    private final MlflowRest rest;
    private final ArtifactStore artifacts;

    ModelRegistry(MlflowRest rest, ArtifactStore artifacts) {
        this.rest = rest;
        this.artifacts = artifacts;
    }

    /** @throws MlflowApiException RESOURCE_ALREADY_EXISTS if the model exists */
    public void createModel(String name) {
        rest.post("registered-models/create", rest.object().put("name", name));
    }

    /** Creates the model unless it exists. */
    public void ensureModel(String name) {
        try {
            createModel(name);
        } catch (MlflowApiException e) {
            if (!MlflowApiException.RESOURCE_ALREADY_EXISTS.equals(e.errorCode())) {
                throw e;
            }
        }
    }

    /** A new version of {@code name} whose files are the run's artifacts under {@code artifactPath}. */
    public ModelVersion createVersion(String name, String runId, String artifactPath, Map<String, String> tags) {
        ObjectNode body = rest.object()
                .put("name", name)
                .put("source", "runs:/" + runId + "/" + artifactPath)
                .put("run_id", runId);
        body.set("tags", rest.keyValues(tags.entrySet()));
        return toVersion(rest.post("model-versions/create", body).path("model_version"));
    }

    /** The versions of {@code name} registered from {@code runId}'s artifacts, oldest first. */
    public List<ModelVersion> versionsOfRun(String name, String runId) {
        List<ModelVersion> versions = new ArrayList<>();
        JsonNode found = rest.get("model-versions/search",
                Map.of("filter", "name='" + name + "' and run_id='" + runId + "'", "max_results", "1000"));
        found.path("model_versions").forEach(v -> versions.add(toVersion(v)));
        versions.sort(java.util.Comparator.comparingLong(v -> Long.parseLong(v.version())));
        return versions;
    }

    public ModelVersion getVersion(String name, String version) {
        return toVersion(rest.get("model-versions/get", Map.of("name", name, "version", version)).path("model_version"));
    }

    /** Points {@code alias} at {@code version}, moving it from the version that had it. */
    public void setAlias(String name, String alias, String version) {
        rest.post("registered-models/alias", rest.object().put("name", name).put("alias", alias).put("version", version));
    }

    public void deleteAlias(String name, String alias) {
        rest.delete("registered-models/alias", rest.object().put("name", name).put("alias", alias));
    }

    /** The version carrying {@code alias}, if any. */
    public Optional<ModelVersion> findByAlias(String name, String alias) {
        // the alias endpoint answers an unknown alias with a 400 like any bad request: look it up in the model instead
        for (JsonNode a : rest.get("registered-models/get", Map.of("name", name)).path("registered_model").path("aliases")) {
            if (alias.equals(a.path("alias").asText())) {
                return Optional.of(getVersion(name, a.path("version").asText()));
            }
        }
        return Optional.empty();
    }

    /** Resolves {@code models:/<name>@<alias>} or {@code models:/<name>/<version>}. */
    public ModelVersion resolve(String modelUri) {
        Matcher m = MODEL_URI.matcher(modelUri);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a models:/<name>@<alias> or models:/<name>/<version> URI: " + modelUri);
        }
        if (m.group(3) != null) {
            return getVersion(m.group(1), m.group(3));
        }
        return findByAlias(m.group(1), m.group(2))
                .orElseThrow(() -> new TrackingException("no version of model '" + m.group(1) + "' has alias '"
                        + m.group(2) + "'"));
    }

    public void setVersionTag(String name, String version, String key, String value) {
        rest.post("model-versions/set-tag",
                rest.object().put("name", name).put("version", version).put("key", key).put("value", value));
    }

    /** Downloads the version's files into {@code targetDir}; returns {@code targetDir}. */
    public Path download(ModelVersion version, Path targetDir) {
        if (artifacts.downloadDirectory(version.downloadUri(), targetDir) == 0) {
            throw new TrackingException("model " + version.name() + " version " + version.version()
                    + " has no files at " + version.downloadUri());
        }
        return targetDir;
    }

    private ModelVersion toVersion(JsonNode v) {
        List<String> aliases = new ArrayList<>();
        v.path("aliases").forEach(a -> aliases.add(a.asText()));
        String source = v.path("source").asText();
        String downloadUri = source.startsWith("runs:/")
                ? "mlflow-artifacts:/" + artifacts.proxyPath(source)
                : source;
        return new ModelVersion(v.path("name").asText(), v.path("version").asText(), v.path("run_id").asText(), source,
                v.path("status").asText(), List.copyOf(aliases), MlflowTracking.toMap(v.path("tags")), downloadUri);
    }
}
