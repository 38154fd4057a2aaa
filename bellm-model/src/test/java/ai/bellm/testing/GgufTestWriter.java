package ai.bellm.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test-only GGUF writer: metadata of every value type, tensors with raw (already encoded) data, any alignment. */
public final class GgufTestWriter {

    // GGUF metadata value types
    public static final int UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6,
            BOOL = 7, STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12;
    public static final int TYPE_F32 = 0;

    /** An array value: element type and elements (nested arrays are {@code Array}s themselves). */
    public record Array(int elementType, List<?> values) {
    }

    private record Entry(String key, int type, Object value) {
    }

    private record RawTensor(String name, long[] dims, int typeId, byte[] data) {
    }

    private final int version;
    private final long alignment;
    private final List<Entry> metadata = new ArrayList<>();
    private final List<RawTensor> tensors = new ArrayList<>();

    public GgufTestWriter(int version, long alignment) {
        this.version = version;
        this.alignment = alignment;
        if (alignment != 32) {
            metadata.add(new Entry("general.alignment", UINT32, alignment));
        }
    }

    public GgufTestWriter() {
        this(3, 32);
    }

    /** Adds a key; numbers are given as any {@code Number}, arrays as {@link Array}. */
    public GgufTestWriter put(String key, int type, Object value) {
        metadata.add(new Entry(key, type, value));
        return this;
    }

    public GgufTestWriter putString(String key, String value) {
        return put(key, STRING, value);
    }

    public GgufTestWriter putU32(String key, long value) {
        return put(key, UINT32, value);
    }

    public GgufTestWriter putF32(String key, double value) {
        return put(key, FLOAT32, value);
    }

    /** A tensor with raw data. @param dims GGUF order (fastest-varying first) */
    public GgufTestWriter tensor(String name, long[] dims, int typeId, byte[] data) {
        tensors.add(new RawTensor(name, dims, typeId, data));
        return this;
    }

    /** An F32 tensor given in PyTorch shape order. */
    public GgufTestWriter f32Tensor(String name, int[] shape, float[] values) {
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[shape.length - 1 - i];
        }
        ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            data.putFloat(v);
        }
        return tensor(name, dims, TYPE_F32, data.array());
    }

    public byte[] toBytes() {
        Out out = new Out();
        out.i32(0x46554747).i32(version).i64(tensors.size()).i64(metadata.size());
        for (Entry e : metadata) {
            out.string(e.key()).i32(e.type());
            writeValue(out, e.type(), e.value());
        }
        long offset = 0;
        List<Long> offsets = new ArrayList<>();
        for (RawTensor t : tensors) {
            out.string(t.name()).i32(t.dims().length);
            for (long d : t.dims()) {
                out.i64(d);
            }
            out.i32(t.typeId()).i64(offset);
            offsets.add(offset);
            offset = align(offset + t.data().length);
        }
        out.padTo(align(out.size()));
        long dataStart = out.size();
        for (int i = 0; i < tensors.size(); i++) {
            out.padTo(dataStart + offsets.get(i));
            out.bytes(tensors.get(i).data());
        }
        return out.toByteArray();
    }

    public Path write(Path file) throws IOException {
        Files.write(file, toBytes());
        return file;
    }

    private long align(long n) {
        return (n + alignment - 1) / alignment * alignment;
    }

    private static void writeValue(Out out, int type, Object value) {
        switch (type) {
            case UINT8, INT8, BOOL -> out.u8(value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).intValue());
            case UINT16, INT16 -> out.i16(((Number) value).intValue());
            case UINT32, INT32 -> out.i32(((Number) value).intValue());
            case UINT64, INT64 -> out.i64(((Number) value).longValue());
            case FLOAT32 -> out.f32(((Number) value).floatValue());
            case FLOAT64 -> out.f64(((Number) value).doubleValue());
            case STRING -> out.string((String) value);
            case ARRAY -> {
                Array array = (Array) value;
                out.i32(array.elementType()).i64(array.values().size());
                for (Object element : array.values()) {
                    writeValue(out, array.elementType(), element);
                }
            }
            default -> throw new IllegalArgumentException("value type " + type);
        }
    }

    /** Little-endian byte sink. */
    private static final class Out extends ByteArrayOutputStream {
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Out u8(int v) {
            write(v);
            return this;
        }

        Out i16(int v) {
            return put(scratch.clear().putShort((short) v));
        }

        Out i32(int v) {
            return put(scratch.clear().putInt(v));
        }

        Out i64(long v) {
            return put(scratch.clear().putLong(v));
        }

        Out f32(float v) {
            return put(scratch.clear().putFloat(v));
        }

        Out f64(double v) {
            return put(scratch.clear().putDouble(v));
        }

        Out string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            return i64(utf8.length).bytes(utf8);
        }

        Out bytes(byte[] b) {
            write(b, 0, b.length);
            return this;
        }

        void padTo(long position) {
            while (size() < position) {
                write(0);
            }
        }

        private Out put(ByteBuffer b) {
            write(b.array(), 0, b.position());
            return this;
        }
    }
}
