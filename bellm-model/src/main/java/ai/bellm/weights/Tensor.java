package ai.bellm.weights;

import java.util.Arrays;

/**
 * A named tensor widened to F32, row-major, with its logical shape (outermost dimension first, as in PyTorch).
 */
public record Tensor(String name, int[] shape, float[] data) {

    public Tensor {
        long expected = elementCount(shape);
        if (expected != data.length) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape)
                    + " needs " + expected + " values, got " + data.length);
        }
    }

    /** @throws ArithmeticException if the count overflows a long */
    public static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long[] shapeAsLong() {
        return Arrays.stream(shape).asLongStream().toArray();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
