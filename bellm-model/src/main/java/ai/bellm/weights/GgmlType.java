package ai.bellm.weights;

import java.util.Optional;

/**
 * The GGML tensor types this reader can dequantize, with their GGUF type ids and block layout. Quantized types store
 * {@code blockSize} consecutive values (along the fastest-varying dimension) in {@code blockBytes} bytes.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    BF16(30, 1, 2);

    private final int id;
    private final int blockSize;
    private final int blockBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    public int id() {
        return id;
    }

    public int blockSize() {
        return blockSize;
    }

    public int blockBytes() {
        return blockBytes;
    }

    /**
     * Bytes taken by {@code elements} values; {@code elements} must be a multiple of the block size.
     *
     * @throws ArithmeticException if the size overflows a long
     */
    public long byteSize(long elements) {
        return Math.multiplyExact(elements / blockSize, blockBytes);
    }

    public static Optional<GgmlType> byId(int id) {
        for (GgmlType type : values()) {
            if (type.id == id) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
