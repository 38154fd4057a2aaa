package ai.bellm.tracking;

/** An entry of an artifact directory listing; {@code path} is relative to the listed directory. */
public record ArtifactFile(String path, boolean isDir, long size) {
}
