package ai.bellm.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header, then raw little-endian data.
 * Tensors are memory-mapped per region on read and widened to F32 (F32, F16 and BF16 are supported).
 */
public final class SafetensorsFile implements TensorSource {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER_BYTES = 100L << 20; // the limit of the reference implementation

    /**
     * One header entry.
     *
     * @param dtype the dtype as written in the file (it may be one this reader cannot widen)
     * @param begin data offset relative to the end of the header
     */
    public record TensorInfo(String name, String dtype, int[] shape, long begin, long end) {
    }

    private final Path path;
    private final FileChannel channel;
    private final Map<String, String> metadata;
    private final Map<String, TensorInfo> tensors;
    private final long dataStart;

    private SafetensorsFile(Path path, FileChannel channel, Map<String, String> metadata,
            Map<String, TensorInfo> tensors, long dataStart) {
        this.path = path;
        this.channel = channel;
        this.metadata = metadata;
        this.tensors = tensors;
        this.dataStart = dataStart;
    }

    public static SafetensorsFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return parse(path, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static SafetensorsFile parse(Path path, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new WeightFormatException(path, "truncated: " + fileSize + " bytes, too short for a safetensors header");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new WeightFormatException(path, "header length " + Long.toUnsignedString(headerLength)
                    + " is not plausible (not a safetensors file?)");
        }
        if (8 + headerLength > fileSize) {
            throw new WeightFormatException(path, "truncated: header of " + headerLength + " bytes but the file has "
                    + fileSize + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate((int) headerLength);
        readFully(channel, header, 8);
        JsonNode json;
        try {
            json = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new WeightFormatException(path, "invalid header JSON: " + e.getOriginalMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new WeightFormatException(path, "invalid header JSON: not an object");
        }
        long dataStart = 8 + headerLength;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("__metadata__")) {
                field.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
            } else {
                TensorInfo info = tensorInfo(path, field.getKey(), field.getValue());
                checkRegion(path, info, fileSize - dataStart);
                tensors.put(info.name(), info);
            }
        }
        return new SafetensorsFile(path, channel, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(tensors), dataStart);
    }

    private static TensorInfo tensorInfo(Path path, String name, JsonNode entry) throws WeightFormatException {
        JsonNode dtype = entry.get("dtype");
        JsonNode shape = entry.get("shape");
        JsonNode offsets = entry.get("data_offsets");
        if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
                || !offsets.isArray() || offsets.size() != 2) {
            throw new WeightFormatException(path, "invalid header JSON: tensor '" + name
                    + "' needs dtype, shape and data_offsets [begin, end], got " + entry);
        }
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!shape.get(i).canConvertToInt() || shape.get(i).asInt() < 0) {
                throw new WeightFormatException(path, "invalid header JSON: tensor '" + name + "' has shape " + shape);
            }
            dims[i] = shape.get(i).asInt();
        }
        return new TensorInfo(name, dtype.asText(), dims, offsets.get(0).asLong(-1), offsets.get(1).asLong(-1));
    }

    private static void checkRegion(Path path, TensorInfo info, long dataLength) throws WeightFormatException {
        if (info.begin() < 0 || info.end() < info.begin()) {
            throw new WeightFormatException(path, "invalid header JSON: tensor '" + info.name() + "' has data_offsets ["
                    + info.begin() + ", " + info.end() + "]");
        }
        if (info.end() > dataLength) {
            throw new WeightFormatException(path, "truncated: tensor '" + info.name() + "' ends at data byte "
                    + info.end() + " but the data section has " + dataLength + " bytes");
        }
        SafetensorsDtype dtype = SafetensorsDtype.parse(info.dtype()).orElse(null);
        if (dtype != null && info.end() - info.begin() != Tensor.elementCount(info.shape()) * dtype.bytes()) {
            throw new WeightFormatException(path, "tensor '" + info.name() + "': " + (info.end() - info.begin())
                    + " bytes do not match shape " + Arrays.toString(info.shape()) + " of " + dtype);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    public Path path() {
        return path;
    }

    /** The string map under {@code __metadata__} (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    public List<TensorInfo> tensors() {
        return List.copyOf(tensors.values());
    }

    public TensorInfo tensorInfo(String name) throws WeightFormatException {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new WeightFormatException(path, "tensor '" + name + "' not found");
        }
        return info;
    }

    @Override
    public Set<String> tensorNames() {
        return tensors.keySet();
    }

    @Override
    public int[] shape(String name) throws WeightFormatException {
        return tensorInfo(name).shape().clone();
    }

    @Override
    public Tensor read(String name) throws IOException {
        TensorInfo info = tensorInfo(name);
        SafetensorsDtype dtype = SafetensorsDtype.parse(info.dtype()).orElseThrow(() -> new WeightFormatException(
                path, "tensor '" + name + "' has dtype " + info.dtype() + ", only F32, F16 and BF16 are supported"));
        long elements = Tensor.elementCount(info.shape());
        if (elements > Integer.MAX_VALUE - 8) {
            throw new WeightFormatException(path, "tensor '" + name + "' has " + elements
                    + " values, too many for one F32 array");
        }
        float[] data = new float[(int) elements];
        MappedRegions.forEachChunk(channel, path, "tensor '" + name + "'", dataStart + info.begin(),
                info.end() - info.begin(), dtype.bytes(), (chunk, regionOffset) -> dtype.decode(chunk, data,
                        (int) (regionOffset / dtype.bytes()), chunk.remaining() / dtype.bytes()));
        return new Tensor(name, info.shape().clone(), data);
    }

    @Override
    public List<Path> files() {
        return List.of(path);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
