package ai.bellm.train;

import ai.bellm.weights.SafetensorsDtype;
import ai.bellm.weights.SafetensorsFile;
import ai.bellm.weights.SafetensorsWriter;
import ai.bellm.weights.Tensor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Everything a run needs to continue exactly where it stopped: the trainable weights, the optimizer state, the
 * number of optimizer steps taken and the data cursor. (No RNG state: batches and dropout are derived from the seed
 * and the step.) {@code configDigest} ties a checkpoint to the settings that wrote it.
 *
 * <p>On disk: {@code step-00000042/} with {@code trainable.safetensors}, {@code optimizer.safetensors} and
 * {@code state.json}, written into a {@code .tmp} directory, fsynced and renamed, so a crash or a full disk never
 * leaves a half-written checkpoint under a final name.
 */
record Checkpoint(long step, TrainingBatches.Cursor cursor, String configDigest, Map<String, Tensor> trainable,
        Map<String, float[]> optimizer) {

    private static final String PREFIX = "step-";
    static final String TMP = ".tmp";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes this checkpoint under {@code dir} and removes all but the newest {@code keep}. */
    Path save(Path dir, int keep) throws IOException {
        Files.createDirectories(dir);
        String name = String.format("%s%08d", PREFIX, step);
        Path tmp = dir.resolve(name + TMP);
        deleteRecursively(tmp);
        Files.createDirectories(tmp);
        SafetensorsWriter.write(tmp.resolve("trainable.safetensors"), trainable, SafetensorsDtype.F32);
        Map<String, Tensor> state = new LinkedHashMap<>();
        optimizer.forEach((key, values) -> state.put(key, new Tensor(key, new int[] {values.length}, values)));
        SafetensorsWriter.write(tmp.resolve("optimizer.safetensors"), state, SafetensorsDtype.F32);
        ObjectNode json = JSON.createObjectNode()
                .put("step", step)
                .put("epoch", cursor.epoch())
                .put("index", cursor.index())
                .put("config_digest", configDigest);
        Path stateFile = tmp.resolve("state.json");
        Files.writeString(stateFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        fsync(stateFile);
        fsync(tmp);
        Path target = dir.resolve(name);
        deleteRecursively(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        fsync(dir);
        pruneAllBut(dir, keep);
        return target;
    }

    /** Whether {@code name} is that of a checkpoint directory ({@code step-00000042}). */
    static boolean isName(String name) {
        return name.matches(PREFIX + "[0-9]{8,}");
    }

    /** The newest complete checkpoint under {@code dir}, if any ({@code .tmp} leftovers are ignored). */
    static Optional<Checkpoint> latest(Path dir) {
        return complete(dir).stream().max(Comparator.naturalOrder()).map(Checkpoint::load);
    }

    static Checkpoint load(Path dir) {
        try {
            JsonNode state = JSON.readTree(dir.resolve("state.json").toFile());
            Map<String, Tensor> trainable = readAll(dir.resolve("trainable.safetensors"));
            Map<String, float[]> optimizer = new LinkedHashMap<>();
            readAll(dir.resolve("optimizer.safetensors")).forEach((k, t) -> optimizer.put(k, t.data()));
            return new Checkpoint(state.path("step").asLong(),
                    new TrainingBatches.Cursor(state.path("epoch").asInt(), state.path("index").asInt()),
                    state.path("config_digest").asText(), trainable, optimizer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Tensor> readAll(Path file) throws IOException {
        try (SafetensorsFile in = SafetensorsFile.open(file)) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String name : in.tensorNames()) {
                tensors.put(name, in.read(name));
            }
            return tensors;
        }
    }

    private static List<Path> complete(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> isName(p.getFileName().toString()))
                    .filter(p -> Files.isRegularFile(p.resolve("state.json")))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pruneAllBut(Path dir, int keep) throws IOException {
        List<Path> all = complete(dir);
        for (Path old : all.subList(0, Math.max(0, all.size() - keep))) {
            deleteRecursively(old);
        }
    }

    private static void fsync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
