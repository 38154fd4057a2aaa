package ai.bellm.weights;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A GGUF file (versions 2 and 3, little-endian): metadata key/values, tensor infos, and tensors read on demand from
 * memory-mapped regions of the data section, dequantized to F32.
 *
 * <p>Metadata values are {@code Long} (all integer types; uint64 above {@code Long.MAX_VALUE} wraps),
 * {@code Double} (float32/float64), {@code Boolean}, {@code String} or {@code List<Object>} (arrays, maybe nested).
 */
public final class GgufFile implements TensorSource {

    private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
    private static final int MAX_DIMS = 8;
    private static final int MAX_ARRAY_DEPTH = 8; // arrays are read recursively: a corrupt file must not blow the stack
    // the fixed-size fields of a metadata entry (key length, value type, a value of at least one byte)
    // and of a tensor info (name length, dimension count, type, offset)
    private static final long MIN_METADATA_ENTRY_BYTES = 8 + 4 + 1;
    private static final long MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;
    private static final long DEFAULT_ALIGNMENT = 32;

    /**
     * One tensor's entry in the header.
     *
     * @param dims GGUF order: {@code dims[0]} is the fastest-varying dimension
     * @param offset byte offset of the data, relative to the start of the data section
     */
    public record TensorInfo(String name, long[] dims, GgmlType type, long offset) {

        public long elementCount() {
            return Arrays.stream(dims).reduce(1, Math::multiplyExact);
        }

        public long byteSize() {
            return type.byteSize(elementCount());
        }

        /** PyTorch shape: the GGUF dims reversed. */
        public int[] shape() {
            int[] shape = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                shape[i] = (int) dims[dims.length - 1 - i];
            }
            return shape;
        }

        @Override
        public String toString() {
            return name + Arrays.toString(dims) + " " + type;
        }
    }

    private final Path path;
    private final FileChannel channel;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, TensorInfo> tensors;
    private final long alignment;
    private final long dataStart;

    private GgufFile(Path path, FileChannel channel, int version, Map<String, Object> metadata,
            Map<String, TensorInfo> tensors, long alignment, long dataStart) {
        this.path = path;
        this.channel = channel;
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
        this.alignment = alignment;
        this.dataStart = dataStart;
    }

    public static GgufFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return parse(path, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static GgufFile parse(Path path, FileChannel channel) throws IOException {
        HeaderInput in = new HeaderInput(channel, path);
        int magic = in.i32();
        if (magic != MAGIC) {
            throw new WeightFormatException(path, String.format("not a GGUF file (magic 0x%08x, expected 0x%08x \"GGUF\")",
                    magic, MAGIC));
        }
        int version = in.i32();
        if (version != 2 && version != 3) {
            String hint = Integer.reverseBytes(version) <= 3 ? " (big-endian GGUF is not supported)" : "";
            throw new WeightFormatException(path, "unsupported GGUF version " + version + hint + "; supported: 2, 3");
        }
        long tensorCount = in.i64();
        long kvCount = in.i64();
        if (tensorCount < 0 || kvCount < 0 || tensorCount > in.remainingInFile() / MIN_TENSOR_INFO_BYTES
                || kvCount > (in.remainingInFile() - tensorCount * MIN_TENSOR_INFO_BYTES) / MIN_METADATA_ENTRY_BYTES) {
            throw in.truncated("the header (" + tensorCount + " tensors, " + kvCount + " metadata entries announced)");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("metadata key #" + i);
            metadata.put(key, readValue(in, path, (int) in.u32(), key, 0));
        }
        Object alignmentValue = metadata.getOrDefault("general.alignment", DEFAULT_ALIGNMENT);
        if (!(alignmentValue instanceof Long alignment) || alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new WeightFormatException(path, "general.alignment " + alignmentValue
                    + " is not an integer power of two");
        }
        List<TensorInfo> infos = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            infos.add(readTensorInfo(in, path));
        }
        long dataStart = alignUp(in.position(), alignment);
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (TensorInfo info : infos) {
            validate(path, info, alignment, dataStart, channel.size());
            if (tensors.put(info.name(), info) != null) {
                throw new WeightFormatException(path, "tensor '" + info.name() + "' appears twice");
            }
        }
        return new GgufFile(path, channel, version, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(tensors), alignment, dataStart);
    }

    /** @param depth how many arrays enclose the value */
    private static Object readValue(HeaderInput in, Path path, int type, String key, int depth) throws IOException {
        return switch (type) {
            case 0 -> (long) in.u8();
            case 1 -> (long) (byte) in.u8();
            case 2 -> (long) (in.i16() & 0xffff);
            case 3 -> (long) in.i16();
            case 4 -> in.u32();
            case 5 -> (long) in.i32();
            case 6 -> (double) in.f32();
            case 7 -> in.u8() != 0;
            case 8 -> in.string("value of " + key);
            case 9 -> readArray(in, path, key, depth + 1);
            case 10, 11 -> in.i64();
            case 12 -> in.f64();
            default -> throw unknownValueType(path, key, type);
        };
    }

    /** The fewest bytes a value of the type is encoded in (a string or array: its length fields). */
    private static long minimumValueBytes(Path path, int type, String key) throws WeightFormatException {
        return switch (type) {
            case 0, 1, 7 -> 1;
            case 2, 3 -> 2;
            case 4, 5, 6 -> 4;
            case 8, 10, 11, 12 -> 8;
            case 9 -> 4 + 8;
            default -> throw unknownValueType(path, key, type);
        };
    }

    private static WeightFormatException unknownValueType(Path path, String key, int type) {
        return new WeightFormatException(path, "metadata '" + key + "' has unknown value type " + type);
    }

    /** @param depth the array's nesting level: 1 for a metadata value, 2 for an array in it, ... */
    private static List<Object> readArray(HeaderInput in, Path path, String key, int depth) throws IOException {
        if (depth > MAX_ARRAY_DEPTH) {
            throw new WeightFormatException(path, "metadata '" + key + "' has arrays nested " + depth
                    + " deep (max " + MAX_ARRAY_DEPTH + ")");
        }
        int elementType = (int) in.u32();
        long count = in.i64();
        // a larger count can only come from a truncated or corrupt file
        if (count < 0 || count > in.remainingInFile() / minimumValueBytes(path, elementType, key)) {
            throw in.truncated("array " + key + " of " + Long.toUnsignedString(count) + " elements");
        }
        List<Object> values = new ArrayList<>((int) Math.min(count, 1 << 16));
        for (long i = 0; i < count; i++) {
            values.add(readValue(in, path, elementType, key, depth));
        }
        return Collections.unmodifiableList(values);
    }

    private static TensorInfo readTensorInfo(HeaderInput in, Path path) throws IOException {
        String name = in.string("tensor name");
        long nDims = in.u32();
        if (nDims > MAX_DIMS) {
            throw new WeightFormatException(path, "tensor '" + name + "' has " + nDims + " dimensions (max " + MAX_DIMS
                    + ")");
        }
        long[] dims = new long[(int) nDims];
        for (int d = 0; d < dims.length; d++) {
            dims[d] = in.i64();
            if (dims[d] <= 0 || dims[d] > Integer.MAX_VALUE) {
                throw new WeightFormatException(path, "tensor '" + name + "' has invalid dimension "
                        + Long.toUnsignedString(dims[d]));
            }
        }
        int typeId = in.i32();
        GgmlType type = GgmlType.byId(typeId).orElseThrow(() -> new WeightFormatException(path,
                "tensor '" + name + "' has unknown or unsupported GGML type id " + typeId + " (supported: "
                        + Arrays.toString(GgmlType.values()) + ")"));
        return new TensorInfo(name, dims, type, in.i64());
    }

    /** Checks what {@link #read} relies on: a whole number of blocks per row, and data that lies in the file. */
    private static void validate(Path path, TensorInfo info, long alignment, long dataStart, long fileSize)
            throws WeightFormatException {
        String tensor = "tensor '" + info.name() + "'";
        long rowLength = info.dims().length == 0 ? 1 : info.dims()[0];
        if (rowLength % info.type().blockSize() != 0) {
            throw new WeightFormatException(path, tensor + ": row length " + rowLength
                    + " is not a multiple of the " + info.type() + " block size " + info.type().blockSize());
        }
        if (info.offset() < 0 || info.offset() % alignment != 0) {
            throw new WeightFormatException(path, tensor + ": data offset " + info.offset()
                    + " is negative or not aligned to " + alignment);
        }
        long byteSize = TensorSizes.exact(path, tensor + " " + Arrays.toString(info.dims()) + " " + info.type(),
                info::byteSize);
        TensorSizes.checkWithinData(path, tensor, info.offset(), byteSize, fileSize - dataStart);
    }

    private static long alignUp(long position, long alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public long alignment() {
        return alignment;
    }

    /** Absolute file offset of the (aligned) data section. */
    public long dataStart() {
        return dataStart;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    public boolean has(String key) {
        return metadata.containsKey(key);
    }

    public String string(String key) throws WeightFormatException {
        return required(key, String.class);
    }

    public String string(String key, String defaultValue) throws WeightFormatException {
        return has(key) ? string(key) : defaultValue;
    }

    public long integer(String key) throws WeightFormatException {
        return required(key, Long.class);
    }

    public long integer(String key, long defaultValue) throws WeightFormatException {
        return has(key) ? integer(key) : defaultValue;
    }

    /** A float value; integer values are accepted too. */
    public double real(String key, double defaultValue) throws WeightFormatException {
        return has(key) ? required(key, Number.class).doubleValue() : defaultValue;
    }

    public boolean bool(String key, boolean defaultValue) throws WeightFormatException {
        return has(key) ? required(key, Boolean.class) : defaultValue;
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(String key) throws WeightFormatException {
        return required(key, List.class);
    }

    public List<String> stringList(String key) throws WeightFormatException {
        List<Object> values = list(key);
        for (Object value : values) {
            if (!(value instanceof String)) {
                throw new WeightFormatException(path, "metadata '" + key + "' is not an array of strings");
            }
        }
        return values.stream().map(String.class::cast).toList();
    }

    private <T> T required(String key, Class<T> type) throws WeightFormatException {
        Object value = metadata.get(key);
        if (value == null) {
            throw new WeightFormatException(path, "metadata '" + key + "' is missing");
        }
        if (!type.isInstance(value)) {
            throw new WeightFormatException(path, "metadata '" + key + "' is a " + value.getClass().getSimpleName()
                    + ", expected " + type.getSimpleName());
        }
        return type.cast(value);
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
        return tensorInfo(name).shape();
    }

    @Override
    public Tensor read(String name) throws IOException {
        TensorInfo info = tensorInfo(name);
        long elements = info.elementCount();
        if (elements > Integer.MAX_VALUE - 8) {
            throw new WeightFormatException(path, "tensor '" + name + "' has " + elements
                    + " values, too many for one F32 array");
        }
        GgmlType type = info.type();
        float[] data = new float[(int) elements];
        MappedRegions.forEachChunk(channel, path, "tensor '" + name + "'", dataStart + info.offset(),
                info.byteSize(), type.blockBytes(), (chunk, regionOffset) -> Dequantizer.dequantize(type, chunk,
                        chunk.remaining() / type.blockBytes(),
                        data, (int) (regionOffset / type.blockBytes() * type.blockSize())));
        return new Tensor(name, info.shape(), data);
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
