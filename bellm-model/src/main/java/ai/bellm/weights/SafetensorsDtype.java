package ai.bellm.weights;

import java.nio.ByteBuffer;
import java.util.Optional;

/** The safetensors element types this project reads and writes; all are widened to F32 in Java. */
public enum SafetensorsDtype {
    F32(4),
    F16(2),
    BF16(2);

    private final int bytes;

    SafetensorsDtype(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public static Optional<SafetensorsDtype> parse(String name) {
        for (SafetensorsDtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return Optional.of(dtype);
            }
        }
        return Optional.empty();
    }

    /** Reads {@code count} values from the buffer's position into {@code dst[offset..]}. */
    void decode(ByteBuffer src, float[] dst, int offset, int count) {
        switch (this) {
            case F32 -> src.asFloatBuffer().get(dst, offset, count);
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = HalfFloats.f16ToFloat(src.getShort(src.position() + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = HalfFloats.bf16ToFloat(src.getShort(src.position() + 2 * i));
                }
            }
        }
    }

    /** Appends one value to the buffer, rounding to nearest even for the 16-bit types. */
    void encode(float value, ByteBuffer dst) {
        switch (this) {
            case F32 -> dst.putFloat(value);
            case F16 -> dst.putShort(HalfFloats.floatToF16(value));
            case BF16 -> dst.putShort(HalfFloats.floatToBf16(value));
        }
    }
}
