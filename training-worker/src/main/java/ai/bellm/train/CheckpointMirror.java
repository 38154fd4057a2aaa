package ai.bellm.train;

import ai.bellm.io.AtomicFile;
import ai.bellm.tracking.ArtifactFile;
import ai.bellm.tracking.TrackedRun;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The training run's copy of its newest checkpoints, under {@code checkpoints/} of the run's artifacts. A training
 * pod writes checkpoints into an emptyDir that dies with the pod; the Job's next pod starts with an empty one but in
 * the same MLflow run, and resumes from this copy.
 *
 * <p>Each checkpoint goes up as {@code checkpoints/step-N/}, and only then does {@code checkpoints/latest.json} name
 * it: a pod killed mid-upload leaves the previous checkpoint current. Older copies beyond {@code keep} are deleted.
 */
final class CheckpointMirror {
    static final String ARTIFACTS = "checkpoints";
    static final String LATEST = "latest.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrackedRun run;
    private final int keep;

    CheckpointMirror(TrackedRun run, int keep) {
        this.run = run;
        this.keep = keep;
    }

    /** Uploads the checkpoint directory {@code checkpoint} (a {@code step-N} of {@link Checkpoint#save}). */
    void upload(Path checkpoint) throws IOException {
        String name = checkpoint.getFileName().toString();
        run.uploadArtifacts(checkpoint, ARTIFACTS + "/" + name);
        // the marker is written beside the checkpoints, where Checkpoint.latest ignores it
        Path marker = checkpoint.resolveSibling(LATEST);
        String json = JSON.createObjectNode().put("checkpoint", name).toString();
        AtomicFile.write(marker, tmp -> Files.writeString(tmp, json));
        run.uploadArtifact(marker, ARTIFACTS + "/" + LATEST);
        List<String> uploaded = run.listArtifacts(ARTIFACTS).stream().filter(ArtifactFile::isDir)
                .map(ArtifactFile::path).filter(Checkpoint::isName).sorted().toList();
        for (String old : uploaded.subList(0, Math.max(0, uploaded.size() - keep))) {
            run.deleteArtifacts(ARTIFACTS + "/" + old);
        }
    }

    /**
     * Downloads the run's current checkpoint into {@code dir} as {@code step-N}, through a {@code .tmp} directory
     * and a rename as {@link Checkpoint#save} does; empty if the run has none.
     */
    Optional<Path> restoreInto(Path dir) throws IOException {
        if (run.listArtifacts(ARTIFACTS).stream().noneMatch(f -> f.path().equals(LATEST))) {
            return Optional.empty();
        }
        Files.createDirectories(dir);
        Path marker = dir.resolve(LATEST);
        run.downloadArtifact(ARTIFACTS + "/" + LATEST, marker);
        String name = JSON.readTree(marker.toFile()).path("checkpoint").asText();
        if (!Checkpoint.isName(name)) { // it becomes a local path: nothing but step-N
            throw new IOException("run " + run.runId() + ": " + ARTIFACTS + "/" + LATEST + " names no checkpoint: '"
                    + name + "'");
        }
        Path tmp = dir.resolve(name + Checkpoint.TMP);
        Checkpoint.deleteRecursively(tmp);
        run.downloadArtifacts(ARTIFACTS + "/" + name, tmp);
        Path target = dir.resolve(name);
        Checkpoint.deleteRecursively(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return Optional.of(target);
    }
}
