package ai.bellm.local;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The experiment's data volume on this machine: the claim mounted at {@code mountPath} in the pods is the local
 * directory {@code dir}, so a pod path {@code mountPath/x} is {@code dir/x}.
 */
record VolumeMapping(String claim, String mountPath, Path dir) {
    /** No data volume: the spec's paths are paths of this machine. */
    static final VolumeMapping NONE = new VolumeMapping(null, null, null);

    /** The path relative to the mount, if {@code podPath} is on the volume. */
    Optional<Path> relative(String podPath) {
        if (mountPath == null) {
            return Optional.empty();
        }
        Path mount = Path.of(mountPath).normalize();
        Path path = Path.of(podPath).normalize();
        return path.startsWith(mount) && !path.equals(mount) ? Optional.of(mount.relativize(path)) : Optional.empty();
    }

    /** Where a pod path is on this machine: under {@code dir} when on the volume, else unchanged. */
    String local(String podPath) {
        return relative(podPath).map(r -> dir.resolve(r).toString()).orElse(podPath);
    }
}
