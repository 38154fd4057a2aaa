package ai.bellm.weights;

import static ai.bellm.testing.GgufTestWriter.ARRAY;
import static ai.bellm.testing.GgufTestWriter.BOOL;
import static ai.bellm.testing.GgufTestWriter.FLOAT32;
import static ai.bellm.testing.GgufTestWriter.FLOAT64;
import static ai.bellm.testing.GgufTestWriter.INT16;
import static ai.bellm.testing.GgufTestWriter.INT32;
import static ai.bellm.testing.GgufTestWriter.INT64;
import static ai.bellm.testing.GgufTestWriter.INT8;
import static ai.bellm.testing.GgufTestWriter.STRING;
import static ai.bellm.testing.GgufTestWriter.UINT16;
import static ai.bellm.testing.GgufTestWriter.UINT32;
import static ai.bellm.testing.GgufTestWriter.UINT64;
import static ai.bellm.testing.GgufTestWriter.UINT8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.testing.GgufTestWriter;
import ai.bellm.testing.GgufTestWriter.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GgufFileTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void readsMetadataOfEveryValueType(int version) throws Exception {
        GgufTestWriter writer = new GgufTestWriter(version, 32)
                .put("u8", UINT8, 250)
                .put("i8", INT8, -5)
                .put("u16", UINT16, 65535)
                .put("i16", INT16, -300)
                .put("u32", UINT32, 4_000_000_000L)
                .put("i32", INT32, -7)
                .put("f32", FLOAT32, 0.5)
                .put("bool", BOOL, true)
                .put("str", STRING, "héllo")
                .put("u64", UINT64, 1L << 40)
                .put("i64", INT64, -(1L << 40))
                .put("f64", FLOAT64, 1e-300)
                .put("strings", ARRAY, new Array(STRING, List.of("a", "", "ü")))
                .put("ints", ARRAY, new Array(INT32, List.of(1, -2, 3)))
                .put("nested", ARRAY, new Array(ARRAY, List.of(
                        new Array(UINT8, List.of(1, 2)), new Array(BOOL, List.of(false)))));
        try (GgufFile gguf = GgufFile.open(writer.write(dir.resolve("meta.gguf")))) {
            assertThat(gguf.version()).isEqualTo(version);
            Map<String, Object> m = gguf.metadata();
            assertThat(m).containsEntry("u8", 250L).containsEntry("i8", -5L).containsEntry("u16", 65535L)
                    .containsEntry("i16", -300L).containsEntry("u32", 4_000_000_000L).containsEntry("i32", -7L)
                    .containsEntry("f32", 0.5).containsEntry("bool", true).containsEntry("str", "héllo")
                    .containsEntry("u64", 1L << 40).containsEntry("i64", -(1L << 40)).containsEntry("f64", 1e-300);
            assertThat(m.get("ints")).isEqualTo(List.of(1L, -2L, 3L));
            assertThat(m.get("nested")).isEqualTo(List.of(List.of(1L, 2L), List.of(false)));
            assertThat(gguf.stringList("strings")).containsExactly("a", "", "ü");
            assertThat(gguf.integer("u32")).isEqualTo(4_000_000_000L);
            assertThat(gguf.integer("absent", 9)).isEqualTo(9);
            assertThat(gguf.real("f32", 0)).isEqualTo(0.5);
            assertThat(gguf.real("i32", 0)).isEqualTo(-7.0);
            assertThat(gguf.bool("bool", false)).isTrue();
            assertThat(gguf.string("str")).isEqualTo("héllo");
            assertThat(gguf.string("absent", "x")).isEqualTo("x");
            assertThat(gguf.tensors()).isEmpty();
            assertThatThrownBy(() -> gguf.string("u8")).isInstanceOf(WeightFormatException.class)
                    .hasMessageContaining("'u8' is a Long, expected String");
            assertThatThrownBy(() -> gguf.integer("absent")).hasMessageContaining("'absent' is missing");
            assertThatThrownBy(() -> gguf.stringList("ints")).hasMessageContaining("not an array of strings");
        }
    }

    @Test
    void readsTensorsAtTheirAlignedOffsetsInPyTorchShape() throws Exception {
        float[] matrix = {1, 2, 3, 4, 5, 6}; // PyTorch [2, 3]: rows (1,2,3) and (4,5,6)
        ByteBuffer f16 = le(6).putShort(HalfFloats.floatToF16(-1.5f)).putShort(HalfFloats.floatToF16(0.25f))
                .putShort(HalfFloats.floatToF16(3.0f));
        ByteBuffer q8 = le(34).putShort(HalfFloats.floatToF16(0.5f));
        for (int j = 0; j < 32; j++) {
            q8.put((byte) j);
        }
        Path file = new GgufTestWriter(3, 64)
                .putString("general.architecture", "test")
                .f32Tensor("matrix", new int[] {2, 3}, matrix)
                .tensor("halves", new long[] {3}, GgmlType.F16.id(), f16.array())
                .tensor("q8", new long[] {32, 1}, GgmlType.Q8_0.id(), q8.array())
                .write(dir.resolve("tensors.gguf"));
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.alignment()).isEqualTo(64);
            assertThat(gguf.dataStart() % 64).isZero();
            assertThat(gguf.tensors()).extracting(GgufFile.TensorInfo::offset).containsExactly(0L, 64L, 128L);
            assertThat(gguf.tensorNames()).containsExactly("matrix", "halves", "q8");

            GgufFile.TensorInfo info = gguf.tensorInfo("matrix");
            assertThat(info.dims()).containsExactly(3, 2);
            assertThat(info.type()).isEqualTo(GgmlType.F32);
            Tensor tensor = gguf.read("matrix");
            assertThat(tensor.shape()).containsExactly(2, 3);
            assertThat(tensor.data()).containsExactly(matrix);

            assertThat(gguf.read("halves").data()).containsExactly(-1.5f, 0.25f, 3.0f);
            Tensor q = gguf.read("q8");
            assertThat(q.shape()).containsExactly(1, 32);
            assertThat(q.data()[0]).isEqualTo(0f);
            assertThat(q.data()[31]).isEqualTo(15.5f);
        }
    }

    @Test
    void badMagic() throws Exception {
        Path file = Files.write(dir.resolve("bad.gguf"), "GGML and more bytes".getBytes());
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not a GGUF file");
    }

    @Test
    void unsupportedVersion() throws Exception {
        Path file = new GgufTestWriter(1, 32).write(dir.resolve("v1.gguf"));
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("unsupported GGUF version 1");
    }

    @Test
    void truncatedHeader() throws Exception {
        byte[] bytes = new GgufTestWriter().putString("general.name", "a long enough name").toBytes();
        assertThat(bytes.length).isGreaterThan(70);
        Path file = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(bytes, 60)); // inside the value of general.name
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("truncated");
    }

    @Test
    void truncatedTensorData() throws Exception {
        byte[] bytes = new GgufTestWriter().f32Tensor("w", new int[] {4, 4}, new float[16]).toBytes();
        Path file = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("truncated: tensor 'w'");
    }

    @Test
    void unknownTensorType() throws Exception {
        Path file = new GgufTestWriter().tensor("w", new long[] {32}, 99, new byte[64]).write(dir.resolve("t.gguf"));
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("tensor 'w'").hasMessageContaining("GGML type id 99");
    }

    @Test
    void missingTensor() throws Exception {
        Path file = new GgufTestWriter().f32Tensor("w", new int[] {2}, new float[2]).write(dir.resolve("m.gguf"));
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThatThrownBy(() -> gguf.read("nope")).isInstanceOf(WeightFormatException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("tensor 'nope' not found");
        }
    }

    @Test
    void absurdArrayLengthIsAFormatErrorNotAnOutOfMemoryError() throws Exception {
        byte[] bytes = new GgufTestWriter().put("a", ARRAY, new Array(UINT8, List.of(1))).toBytes();
        // overwrite the element count (after magic, version, counts, key and element type) with 2^60
        int countAt = 4 + 4 + 8 + 8 + (8 + 1) + 4 + 4;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(countAt, 1L << 60);
        Path file = Files.write(dir.resolve("huge.gguf"), bytes);
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("array a");
    }

    @Test
    void arraysNestedUpToTheLimitAreRead() throws Exception {
        Array array = new Array(UINT8, List.of(7));
        Object expected = List.of(7L);
        for (int depth = 2; depth <= 8; depth++) {
            array = new Array(ARRAY, List.of(array));
            expected = List.of(expected);
        }
        Path file = new GgufTestWriter().put("deep", ARRAY, array).write(dir.resolve("deep.gguf"));
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.metadata().get("deep")).isEqualTo(expected);
        }
    }

    @Test
    void arraysNestedDeeperThanTheLimitAreAFormatErrorNotAStackOverflow() throws Exception {
        int arrays = 100_000; // 1.2 MB of arrays of one array each
        byte[] key = "deep".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = le(4 + 4 + 8 + 8 + 8 + key.length + 4 + arrays * 12);
        b.putInt(0x46554747).putInt(3).putLong(0).putLong(1).putLong(key.length).put(key).putInt(ARRAY);
        for (int i = 1; i < arrays; i++) {
            b.putInt(ARRAY).putLong(1);
        }
        b.putInt(UINT8).putLong(0);
        Path file = Files.write(dir.resolve("nested.gguf"), b.array());
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("metadata 'deep'")
                .hasMessageContaining("nested 9 deep (max 8)");
    }

    @ParameterizedTest
    @ValueSource(longs = {
            1L << 30, // 2^90 elements: the element count overflows
            1L << 2 // 2^62 elements fit a long, their 2^64 bytes do not
    })
    void overflowingTensorSizeIsAFormatError(long outerDim) throws Exception {
        Path file = new GgufTestWriter().tensor("w", new long[] {1L << 30, 1L << 30, outerDim}, GgmlType.F32.id(),
                new byte[64]).write(dir.resolve("overflow.gguf"));
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("tensor 'w' [1073741824, 1073741824, " + outerDim + "] F32: size overflows");
    }

    @ParameterizedTest
    @ValueSource(longs = {64, Long.MAX_VALUE & -32})
    void tensorPastTheEndOfTheFileIsAFormatError(long offset) throws Exception {
        byte[] bytes = new GgufTestWriter().f32Tensor("w", new int[] {4}, new float[4]).toBytes();
        // the tensor info follows the counts: name, dimension count, one dimension, type, then the offset
        int offsetAt = 4 + 4 + 8 + 8 + (8 + 1) + 4 + 8 + 4;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(offsetAt, offset);
        Path file = Files.write(dir.resolve("past-end.gguf"), bytes);
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated: tensor 'w' needs 16 bytes at data offset " + offset);
    }

    @Test
    void negativeTensorOffsetIsAFormatError() throws Exception {
        byte[] bytes = new GgufTestWriter().f32Tensor("w", new int[] {4}, new float[4]).toBytes();
        int offsetAt = 4 + 4 + 8 + 8 + (8 + 1) + 4 + 8 + 4;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(offsetAt, -32);
        Path file = Files.write(dir.resolve("negative.gguf"), bytes);
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("tensor 'w': data offset -32 is negative");
    }

    @ParameterizedTest
    @ValueSource(longs = {1L << 40, -1})
    void absurdTensorAndMetadataCountsAreFormatErrors(long count) throws Exception {
        byte[] bytes = new GgufTestWriter().putString("general.name", "x").toBytes();
        for (int countAt : new int[] {8, 16}) {
            byte[] mutant = bytes.clone();
            ByteBuffer.wrap(mutant).order(ByteOrder.LITTLE_ENDIAN).putLong(countAt, count);
            Path file = Files.write(dir.resolve("count.gguf"), mutant);
            assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(WeightFormatException.class)
                    .hasMessageContaining("truncated").hasMessageContaining("announced");
        }
    }

    @Test
    void alignmentThatIsNotAnIntegerIsAFormatError() throws Exception {
        Path file = new GgufTestWriter().putString("general.alignment", "32").write(dir.resolve("align.gguf"));
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("general.alignment 32 is not an integer power of two");
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
