package ai.bellm.weights;

import static ai.bellm.testing.GgufTestWriter.ARRAY;
import static ai.bellm.testing.GgufTestWriter.FLOAT32;
import static ai.bellm.testing.GgufTestWriter.INT32;
import static ai.bellm.testing.GgufTestWriter.STRING;
import static ai.bellm.testing.GgufTestWriter.UINT8;
import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.testing.GgufTestWriter;
import ai.bellm.testing.GgufTestWriter.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens deterministic mutants of small valid weight files (flipped bytes, truncations, length fields overwritten with
 * huge or negative values) and reads all their tensors: each must succeed or fail with a {@link WeightFormatException},
 * never with another exception or a JVM error.
 */
class WeightFileFuzzTest {

    private static final int MUTANTS = 5000;
    private static final long[] EXTREME_LONGS = {-1, 0, 1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE,
            1L << 31, 1L << 32, 1L << 62, 0xffffffffL, Long.MAX_VALUE & -32};
    /** Plausible one by one as dimensions, but their product over three or four dimensions overflows a long. */
    private static final long[] LARGE_DIMENSIONS = {1L << 16, 1L << 21, Integer.MAX_VALUE};
    private static final String[] EXTREME_NUMBERS = {"-1", "0", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "18446744073709551616", "2147483648", "4294967296", "65536", "1e400", "3.5",
            "\"8\"", "null", "[]"};
    private static final Pattern JSON_NUMBER = Pattern.compile("-?\\d+");

    @TempDir
    Path dir;

    @FunctionalInterface
    private interface Reader {
        void openAndReadAll(Path file) throws Exception;
    }

    /** @param description the edits made, to reproduce a failure */
    private record Mutant(String description, byte[] bytes) {
    }

    @Test
    void mutatedGgufFilesOpenOrFailWithAFormatError() throws Exception {
        byte[] valid = validGguf();
        int headerLength;
        try (GgufFile gguf = GgufFile.open(Files.write(dir.resolve("valid.gguf"), valid))) {
            assertThat(gguf.tensors()).hasSize(5);
            headerLength = (int) gguf.dataStart();
        }
        fuzz(valid, headerLength, "gguf", this::readGguf);
    }

    @Test
    void mutatedSafetensorsFilesOpenOrFailWithAFormatError() throws Exception {
        Random random = new Random(1);
        Map<String, Tensor> tensors = Map.of("a", tensor("a", random, 3, 4), "b", tensor("b", random, 5),
                "scalar", tensor("scalar", random));
        Path file = dir.resolve("valid.safetensors");
        SafetensorsWriter.write(file, tensors, SafetensorsDtype.BF16, Map.of("format", "pt"));
        byte[] valid = Files.readAllBytes(file);
        readSafetensors(file);
        int headerLength = 8 + (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong();
        fuzz(valid, headerLength, "safetensors", this::readSafetensors);
    }

    private void fuzz(byte[] valid, int headerLength, String extension, Reader reader) throws Exception {
        int opened = 0;
        for (int seed = 0; seed < MUTANTS; seed++) {
            Mutant mutant = mutate(valid, headerLength, extension.equals("safetensors"), new Random(seed));
            Path file = Files.write(dir.resolve("mutant-" + seed + "." + extension), mutant.bytes());
            try {
                reader.openAndReadAll(file);
                opened++;
            } catch (WeightFormatException expected) {
                // a corrupt file refused with a format error
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + " (" + mutant.description() + "): " + t, t);
            } finally {
                Files.delete(file);
            }
        }
        // the mutants are neither all harmless nor all fatal
        assertThat(opened).as("mutants that opened").isBetween(1, MUTANTS - 1);
    }

    /**
     * One to three edits, mostly in the header, where the sizes and offsets are (the data bytes are plain values). A
     * safetensors mutant may first get numbers of its JSON header replaced, with the header length kept consistent.
     */
    private static Mutant mutate(byte[] valid, int headerLength, boolean json, Random random) {
        List<String> edits = new ArrayList<>();
        byte[] bytes = valid;
        int binaryEdits = 1 + random.nextInt(3);
        if (json && random.nextBoolean()) {
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                bytes = replaceJsonNumber(bytes, random, edits);
            }
            headerLength = 8 + (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            binaryEdits = random.nextInt(2);
        }
        for (int i = 0; i < binaryEdits && bytes.length > 8; i++) {
            bytes = binaryEdit(bytes, Math.min(headerLength, bytes.length), random, edits);
        }
        return new Mutant(String.join("; ", edits), bytes);
    }

    private static byte[] binaryEdit(byte[] original, int headerLength, Random random, List<String> edits) {
        byte[] bytes = original.clone();
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (random.nextInt(5)) {
            case 0 -> {
                int at = random.nextInt(random.nextInt(8) == 0 ? bytes.length : headerLength);
                int bit = random.nextInt(8);
                bytes[at] ^= (byte) (1 << bit);
                edits.add("bit " + bit + " flipped at " + at);
            }
            case 1 -> {
                int length = random.nextInt(bytes.length);
                edits.add("truncated to " + length + " bytes");
                return Arrays.copyOf(bytes, length);
            }
            case 2 -> {
                // also a run of fields: the dimensions of a tensor are consecutive i64s
                List<Integer> fields = lengthLikeFields(le, headerLength);
                if (!fields.isEmpty()) {
                    int at = fields.get(random.nextInt(fields.size()));
                    int count = Math.min(1 + random.nextInt(4), (headerLength - at) / 8);
                    long value = random.nextBoolean() ? extremeLong(random)
                            : LARGE_DIMENSIONS[random.nextInt(LARGE_DIMENSIONS.length)];
                    edits.add(count + " i64 from the length-like " + le.getLong(at) + " at " + at + " replaced by "
                            + value);
                    for (int i = 0; i < count; i++) {
                        le.putLong(at + 8 * i, value);
                    }
                }
            }
            case 3 -> {
                int at = random.nextInt(headerLength - 7);
                long value = extremeLong(random);
                le.putLong(at, value);
                edits.add("i64 " + value + " written at " + at);
            }
            default -> {
                int at = random.nextInt(headerLength - 3);
                int value = (int) extremeLong(random);
                le.putInt(at, value);
                edits.add("i32 " + value + " written at " + at);
            }
        }
        return bytes;
    }

    /**
     * Where the header holds a small i64 with a non-zero low byte: most likely a count, length, dimension or offset
     * (the low byte rules out the same field read a byte or two off).
     */
    private static List<Integer> lengthLikeFields(ByteBuffer le, int headerLength) {
        List<Integer> fields = new ArrayList<>();
        for (int at = 0; at + 8 <= headerLength; at++) {
            long value = le.getLong(at);
            if (value > 0 && value <= 1 << 20 && le.get(at) != 0) {
                fields.add(at);
            }
        }
        return fields;
    }

    private static long extremeLong(Random random) {
        return random.nextInt(4) == 0 ? random.nextLong() : EXTREME_LONGS[random.nextInt(EXTREME_LONGS.length)];
    }

    /** Replaces one number of the safetensors JSON header and rewrites the header length to match. */
    private static byte[] replaceJsonNumber(byte[] file, Random random, List<String> edits) {
        int headerLength = 8 + (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(file, 8, headerLength - 8, StandardCharsets.UTF_8);
        List<int[]> numbers = new ArrayList<>();
        for (Matcher m = JSON_NUMBER.matcher(header); m.find(); ) {
            numbers.add(new int[] {m.start(), m.end()});
        }
        if (numbers.isEmpty()) {
            return file;
        }
        int[] span = numbers.get(random.nextInt(numbers.size()));
        String replacement = EXTREME_NUMBERS[random.nextInt(EXTREME_NUMBERS.length)];
        edits.add("JSON number " + header.substring(span[0], span[1]) + " at " + span[0] + " replaced by "
                + replacement);
        byte[] json = (header.substring(0, span[0]) + replacement + header.substring(span[1]))
                .getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + file.length - headerLength).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).put(file, headerLength, file.length - headerLength).array();
    }

    private void readGguf(Path file) throws Exception {
        try (GgufFile gguf = GgufFile.open(file)) {
            for (String name : gguf.tensorNames()) {
                checkSize(gguf.read(name), gguf.shape(name));
            }
        }
    }

    private void readSafetensors(Path file) throws Exception {
        try (SafetensorsShards shards = SafetensorsShards.open(file)) {
            for (String name : shards.tensorNames()) {
                checkSize(shards.read(name), shards.shape(name));
            }
        }
    }

    /** A tensor read must hold exactly the values of its shape: a wrapped element count is a silent wrong size. */
    private static void checkSize(Tensor tensor, int[] shape) {
        assertThat(tensor.shape()).containsExactly(shape);
        long elements = Arrays.stream(shape).asLongStream().reduce(1, Math::multiplyExact);
        assertThat((long) tensor.data().length).as("values of %s", tensor).isEqualTo(elements);
    }

    private static byte[] validGguf() {
        Random random = new Random(2);
        byte[] halves = new byte[3 * 2];
        byte[] q8 = new byte[2 * 34];
        byte[] q4k = new byte[144];
        random.nextBytes(halves);
        random.nextBytes(q8);
        random.nextBytes(q4k);
        return new GgufTestWriter(3, 64) // not the default alignment: general.alignment is written
                .putString("general.architecture", "llama")
                .putU32("llama.context_length", 64)
                .putF32("llama.rope.freq_base", 10000)
                .put("tokenizer.ggml.tokens", ARRAY, new Array(STRING, List.of("<s>", "a", "bc")))
                .put("tokenizer.ggml.scores", ARRAY, new Array(FLOAT32, List.of(0.0, -1.0, -2.0)))
                .put("nested", ARRAY, new Array(ARRAY, List.of(new Array(UINT8, List.of(1, 2)),
                        new Array(INT32, List.of(-3)))))
                .f32Tensor("matrix", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
                .f32Tensor("cube", new int[] {2, 1, 2, 2}, new float[8])
                .tensor("halves", new long[] {3}, GgmlType.F16.id(), halves)
                .tensor("q8", new long[] {32, 2}, GgmlType.Q8_0.id(), q8)
                .tensor("q4k", new long[] {256}, GgmlType.Q4_K.id(), q4k)
                .toBytes();
    }

    private static Tensor tensor(String name, Random random, int... shape) {
        float[] data = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return new Tensor(name, shape, data);
    }
}
