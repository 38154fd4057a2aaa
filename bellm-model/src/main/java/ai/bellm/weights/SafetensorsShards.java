package ai.bellm.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face safetensors checkpoint: one {@code model.safetensors} or shards listed in
 * {@code model.safetensors.index.json} ({@code weight_map}: tensor name to shard file name).
 */
public final class SafetensorsShards implements TensorSource {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final List<SafetensorsFile> shards;
    private final Map<String, SafetensorsFile> byTensor;

    private SafetensorsShards(List<SafetensorsFile> shards, Map<String, SafetensorsFile> byTensor) {
        this.shards = shards;
        this.byTensor = byTensor;
    }

    /**
     * Opens a directory (its index if present, else {@code model.safetensors}), an index {@code .json} file, or a
     * single {@code .safetensors} file.
     */
    public static SafetensorsShards open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Path index = path.resolve(INDEX_FILE);
            Path single = path.resolve(SINGLE_FILE);
            if (Files.exists(index)) {
                return openIndex(index);
            }
            if (!Files.exists(single)) {
                throw new WeightFormatException(path, "no " + SINGLE_FILE + " or " + INDEX_FILE + " in the directory");
            }
            path = single;
        }
        if (path.getFileName().toString().endsWith(".json")) {
            return openIndex(path);
        }
        SafetensorsFile file = SafetensorsFile.open(path);
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        file.tensorNames().forEach(name -> byTensor.put(name, file));
        return new SafetensorsShards(List.of(file), byTensor);
    }

    private static SafetensorsShards openIndex(Path index) throws IOException {
        JsonNode weightMap;
        try {
            weightMap = SafetensorsFile.JSON.readTree(index.toFile()).path("weight_map");
        } catch (JsonProcessingException e) {
            throw new WeightFormatException(index, "invalid index JSON: " + e.getOriginalMessage(), e);
        }
        if (!weightMap.isObject()) {
            throw new WeightFormatException(index, "invalid index JSON: no weight_map object");
        }
        Map<String, SafetensorsFile> shardsByFile = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isTextual()) {
                    throw new WeightFormatException(index, "invalid index JSON: tensor '" + entry.getKey()
                            + "' is mapped to " + entry.getValue() + ", not to a shard file name");
                }
                String shardName = entry.getValue().asText();
                Path shardPath = index.resolveSibling(shardName);
                if (!shardsByFile.containsKey(shardName)) {
                    if (!Files.isRegularFile(shardPath)) {
                        throw new WeightFormatException(index, "shard " + shardName + " (of tensor '" + entry.getKey()
                                + "') does not exist or is not a file");
                    }
                    shardsByFile.put(shardName, SafetensorsFile.open(shardPath));
                }
                SafetensorsFile shard = shardsByFile.get(shardName);
                if (!shard.hasTensor(entry.getKey())) {
                    throw new WeightFormatException(index, "tensor '" + entry.getKey() + "' is mapped to " + shardName
                            + " but that shard does not contain it");
                }
                byTensor.put(entry.getKey(), shard);
            }
        } catch (IOException | RuntimeException e) {
            for (SafetensorsFile shard : shardsByFile.values()) {
                shard.close();
            }
            throw e;
        }
        return new SafetensorsShards(List.copyOf(shardsByFile.values()), byTensor);
    }

    @Override
    public Set<String> tensorNames() {
        return byTensor.keySet();
    }

    @Override
    public int[] shape(String name) throws WeightFormatException {
        return shard(name).shape(name);
    }

    @Override
    public Tensor read(String name) throws IOException {
        return shard(name).read(name);
    }

    private SafetensorsFile shard(String name) throws WeightFormatException {
        SafetensorsFile shard = byTensor.get(name);
        if (shard == null) {
            throw new WeightFormatException(shards.get(0).path().getParent(), "tensor '" + name
                    + "' not found in the safetensors checkpoint");
        }
        return shard;
    }

    /** The metadata of the first shard. */
    public Map<String, String> metadata() {
        return shards.get(0).metadata();
    }

    @Override
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        shards.forEach(shard -> files.add(shard.path()));
        return files;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsFile shard : shards) {
            try {
                shard.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
