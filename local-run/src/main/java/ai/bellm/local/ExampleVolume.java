package ai.bellm.local;

import ai.bellm.data.SyntheticStsPairs;
import ai.bellm.model.TinyModelFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The files the example experiments of {@code crds/examples} read from their data volume, and how to provide each
 * one on a local volume when it is missing: the tiny model and its invented STS pairs are generated; SmolLM2 and the
 * STS-B / SICK files are linked from where this machine keeps them. {@link #ensure} leaves existing files alone, so
 * a user's own data on the volume always wins.
 */
final class ExampleVolume {
    /** Seed of the tiny example's random model. */
    static final long TINY_MODEL_SEED = 7;

    /** Provides the file (or directory) at {@code target}, which does not exist yet. */
    private interface Source {
        void create(Path relative, Path target) throws IOException;
    }

    /** {@code path} itself, or with {@code tree}, anything below it. */
    private record Entry(Path path, boolean tree, Source source) {
        boolean covers(Path relative) {
            return tree ? relative.startsWith(path) && !relative.equals(path) : relative.equals(path);
        }
    }

    private final List<Entry> entries;

    private ExampleVolume(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * The examples' files.
     *
     * @param smollm2 the local SmolLM2 GGUF (fetched on first use)
     * @param dataDir where STS-B and SICK are ({@code BELLM_DATA_DIR})
     */
    static ExampleVolume standard(Supplier<Path> smollm2, Supplier<Path> dataDir) {
        return new ExampleVolume(List.of(
                new Entry(Path.of("models/tiny"), false,
                        generated(target -> TinyModelFactory.writeHfDirectory(target, TINY_MODEL_SEED))),
                new Entry(Path.of("tiny/train.jsonl"), false, generated(SyntheticStsPairs::writeTrainSet)),
                new Entry(Path.of("tiny/dev.jsonl"), false, generated(SyntheticStsPairs::writeDevSet)),
                new Entry(Path.of("models/SmolLM2-135M-Instruct.Q4_1.gguf"), false,
                        (relative, target) -> link(target, smollm2.get(), "SmolLM2 from scripts/fetch-smollm2.sh")),
                new Entry(Path.of("stsbenchmark"), true, linkedFrom(dataDir)),
                new Entry(Path.of("sick2014"), true, linkedFrom(dataDir))));
    }

    /**
     * Makes sure the spec's path {@code ref} exists on this machine: a path on the volume that is missing is created
     * when it is an example file.
     *
     * @throws IllegalArgumentException naming the field, the path and what is missing
     */
    void ensure(VolumeMapping volume, SpecPaths.Reference ref) {
        Optional<Path> relative = volume.relative(ref.path());
        if (relative.isEmpty()) {
            if (!Files.exists(Path.of(ref.path()))) {
                throw new IllegalArgumentException(ref.field() + ": " + ref.path() + " does not exist (it is not under"
                        + " the volume's mount path " + volume.mountPath() + ")");
            }
            return;
        }
        Path target = volume.dir().resolve(relative.get());
        if (Files.exists(target)) {
            return;
        }
        Entry entry = entries.stream().filter(e -> e.covers(relative.get())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(ref.field() + ": " + ref.path() + " is not on volume "
                        + volume.claim() + " (" + target + " is missing) and is no example file this command can"
                        + " create; put it there, or map the claim elsewhere with --volume " + volume.claim()
                        + "=DIR"));
        try {
            Files.createDirectories(target.getParent());
            entry.source().create(relative.get(), target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ref.field() + ": " + e.getMessage(), e);
        }
    }

    /** Written next to the target and renamed, so an interrupted run leaves no half-written file behind. */
    private static Source generated(Writer writer) {
        return (relative, target) -> {
            Path temp = target.resolveSibling(target.getFileName() + ".partial");
            deleteTree(temp);
            writer.write(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        };
    }

    private static Source linkedFrom(Supplier<Path> dataDir) {
        return (relative, target) -> link(target, dataDir.get().resolve(relative),
                "BELLM_DATA_DIR (" + dataDir.get() + ")");
    }

    private static void link(Path target, Path source, String where) throws IOException {
        if (!Files.exists(source)) {
            throw new IllegalArgumentException(source + " is missing: the example file comes from " + where);
        }
        Files.createSymbolicLink(target, source.toAbsolutePath());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @FunctionalInterface
    private interface Writer {
        void write(Path target) throws IOException;
    }
}
