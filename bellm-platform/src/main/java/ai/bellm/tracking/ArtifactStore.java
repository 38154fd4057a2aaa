package ai.bellm.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Artifacts over plain HTTP through the server's artifact proxy ({@code mlflow server --serve-artifacts}), never
 * mlflow-client's {@code logArtifact}, which shells out to Python.
 * URIs are {@code mlflow-artifacts:/<experimentId>/<runId>/artifacts/<path>} (a run's artifact URI plus a path)
 * or {@code runs:/<runId>/<path>}.
 */
public final class ArtifactStore {
    private static final String PROXY_SCHEME = "mlflow-artifacts:";
    private static final String RUNS_SCHEME = "runs:/";

    private final MlflowRest rest;

    ArtifactStore(MlflowRest rest) {
        this.rest = rest;
    }

    public void uploadFile(Path file, String targetUri) {
        rest.upload(file, proxyPath(targetUri));
    }

    /** Uploads every file below {@code dir}, keeping the relative layout under {@code targetDirUri}. */
    public void uploadDirectory(Path dir, String targetDirUri) {
        String target = proxyPath(targetDirUri);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                rest.upload(file, target + "/" + relative(dir, file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** One level of a directory; empty if the directory does not exist (the proxy does not tell the two apart). */
    public List<ArtifactFile> list(String dirUri) {
        List<ArtifactFile> files = new ArrayList<>();
        for (JsonNode f : rest.listArtifacts(proxyPath(dirUri)).path("files")) {
            files.add(new ArtifactFile(f.path("path").asText(), f.path("is_dir").asBoolean(), f.path("file_size").asLong()));
        }
        return files;
    }

    /** Deletes the file or the directory tree at {@code uri}. */
    public void delete(String uri) {
        rest.deleteArtifact(proxyPath(uri));
    }

    public void downloadFile(String uri, Path targetFile) {
        rest.download(proxyPath(uri), targetFile);
    }

    /** Mirrors the directory tree at {@code dirUri} into {@code targetDir}; returns the number of files. */
    public int downloadDirectory(String dirUri, Path targetDir) {
        String dir = proxyPath(dirUri);
        int count = 0;
        for (ArtifactFile f : list(PROXY_SCHEME + "/" + dir)) {
            String child = PROXY_SCHEME + "/" + dir + "/" + f.path();
            if (f.isDir()) {
                count += downloadDirectory(child, targetDir.resolve(f.path()));
            } else {
                downloadFile(child, targetDir.resolve(f.path()));
                count++;
            }
        }
        return count;
    }

    /** {@code mlflow-artifacts:} or {@code runs:/} URI to the proxy's path {@code <experimentId>/<runId>/artifacts/...}. */
    String proxyPath(String uri) {
        if (uri.startsWith(RUNS_SCHEME)) {
            String runAndPath = uri.substring(RUNS_SCHEME.length());
            int slash = runAndPath.indexOf('/');
            String runId = slash < 0 ? runAndPath : runAndPath.substring(0, slash);
            String path = slash < 0 ? "" : runAndPath.substring(slash);
            return proxyPath(runArtifactUri(runId) + path);
        }
        if (!uri.startsWith(PROXY_SCHEME)) {
            throw new TrackingException("unsupported artifact URI " + uri
                    + ": only mlflow-artifacts: (server started with --serve-artifacts) and runs:/ are supported");
        }
        String path = uri.substring(PROXY_SCHEME.length());
        if (path.startsWith("//")) { // mlflow-artifacts://host:port/path: the host is the tracking server anyway
            path = path.substring(path.indexOf('/', 2));
        }
        return path.replaceAll("^/+|/+$", "");
    }

    private String runArtifactUri(String runId) {
        return rest.get("runs/get", Map.of("run_id", runId)).path("run").path("info").path("artifact_uri").asText();
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}
