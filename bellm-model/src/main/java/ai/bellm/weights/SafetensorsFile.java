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
import java.util.TreeSet;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header, then raw little-endian data.
 * Tensors are memory-mapped per region on read and widened to F32 (F32, F16 and BF16 are supported).
 */
public final class SafetensorsFile implements TensorSource {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER_BYTES = 100L << 20; // the limit of the reference implementation
    /** Bits per element of every dtype of the safetensors format, including those this reader cannot widen. */
    private static final Map<String, Integer> DTYPE_BITS = Map.ofEntries(Map.entry("F4", 4), Map.entry("F6_E2M3", 6),
            Map.entry("F6_E3M2", 6), Map.entry("BOOL", 8), Map.entry("U8", 8), Map.entry("I8", 8),
            Map.entry("F8_E5M2", 8), Map.entry("F8_E4M3", 8), Map.entry("F8_E8M0", 8), Map.entry("I16", 16),
            Map.entry("U16", 16), Map.entry("F16", 16), Map.entry("BF16", 16), Map.entry("I32", 32),
            Map.entry("U32", 32), Map.entry("F32", 32), Map.entry("C64", 64), Map.entry("F64", 64),
            Map.entry("I64", 64), Map.entry("U64", 64));

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
        readFully(path, channel, lengthBytes, 0);
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
        readFully(path, channel, header, 8);
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
            if (!shape.get(i).isIntegralNumber() || !shape.get(i).canConvertToInt() || shape.get(i).asInt() < 0) {
                throw new WeightFormatException(path, "invalid header JSON: tensor '" + name + "' has shape " + shape);
            }
            dims[i] = shape.get(i).asInt();
        }
        for (JsonNode offset : offsets) {
            if (!offset.isIntegralNumber() || !offset.canConvertToLong()) {
                throw new WeightFormatException(path, "invalid header JSON: tensor '" + name + "' has data_offsets "
                        + offsets);
            }
        }
        return new TensorInfo(name, dtype.asText(), dims, offsets.get(0).asLong(), offsets.get(1).asLong());
    }

    /** Checks that the tensor's data lies in the data section and has exactly the size of its shape and dtype. */
    private static void checkRegion(Path path, TensorInfo info, long dataLength) throws WeightFormatException {
        String tensor = "tensor '" + info.name() + "'";
        if (info.begin() < 0 || info.end() < info.begin()) {
            throw new WeightFormatException(path, "invalid header JSON: " + tensor + " has data_offsets ["
                    + info.begin() + ", " + info.end() + "]");
        }
        long byteSize = info.end() - info.begin();
        TensorSizes.checkWithinData(path, tensor, info.begin(), byteSize, dataLength);
        Integer bitsPerElement = DTYPE_BITS.get(info.dtype());
        if (bitsPerElement == null) {
            throw new WeightFormatException(path, tensor + " has unknown dtype '" + info.dtype() + "' (known: "
                    + new TreeSet<>(DTYPE_BITS.keySet()) + ")");
        }
        long bits = TensorSizes.exact(path, tensor + " " + Arrays.toString(info.shape()) + " " + info.dtype(),
                () -> Math.multiplyExact(Tensor.elementCount(info.shape()), bitsPerElement));
        if (bits % 8 != 0 || bits / 8 != byteSize) {
            throw new WeightFormatException(path, tensor + ": " + byteSize + " bytes do not match shape "
                    + Arrays.toString(info.shape()) + " of " + info.dtype());
        }
    }

    private static void readFully(Path path, FileChannel channel, ByteBuffer buffer, long position)
            throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new WeightFormatException(path, "truncated: the file ended while its header was read");
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
