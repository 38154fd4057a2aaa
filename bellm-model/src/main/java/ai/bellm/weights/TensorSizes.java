package ai.bellm.weights;

import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Size checks on tensor entries read from a file header, shared by the GGUF and safetensors readers. Every value comes
 * from the file, so arithmetic on them must neither wrap nor reach past the data that is actually there.
 */
final class TensorSizes {

    private TensorSizes() {
    }

    /**
     * Evaluates size arithmetic done with {@code Math.multiplyExact} and friends; an overflow is a format error.
     *
     * @param what the tensor and what is sized, e.g. {@code tensor 'w' [4, 4] F32}
     */
    static long exact(Path file, String what, LongSupplier size) throws WeightFormatException {
        try {
            return size.getAsLong();
        } catch (ArithmeticException e) {
            throw new WeightFormatException(file, what + ": size overflows a long", e);
        }
    }

    /** Checks that {@code length} bytes at {@code offset} lie within a data section of {@code dataLength} bytes. */
    static void checkWithinData(Path file, String tensor, long offset, long length, long dataLength)
            throws WeightFormatException {
        long available = Math.max(dataLength, 0);
        // compared by subtraction: offset + length may wrap a long
        if (offset < 0 || length < 0 || offset > available || length > available - offset) {
            throw new WeightFormatException(file, "truncated: " + tensor + " needs " + length + " bytes at data offset "
                    + offset + " but the data section has " + available + " bytes");
        }
    }
}
