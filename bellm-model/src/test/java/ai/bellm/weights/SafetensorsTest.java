package ai.bellm.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafetensorsTest {

    @TempDir
    Path dir;

    private final Random random = new Random(7);

    @ParameterizedTest
    @EnumSource(SafetensorsDtype.class)
    void roundTripsWithMetadata(SafetensorsDtype dtype) throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b.weight", randomTensor("b.weight", 3, 5));
        tensors.put("a.bias", randomTensor("a.bias", 5));
        tensors.put("scalar", new Tensor("scalar", new int[0], new float[] {2.5f}));
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, tensors, dtype, Map.of("format", "pt", "step", "12"));

        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("format", "pt", "step", "12"));
            assertThat(st.tensorNames()).containsExactly("a.bias", "b.weight", "scalar");
            assertThat(st.tensorInfo("b.weight").dtype()).isEqualTo(dtype.name());
            for (Tensor expected : tensors.values()) {
                Tensor actual = st.read(expected.name());
                assertThat(actual.shape()).containsExactly(expected.shape());
                for (int i = 0; i < expected.data().length; i++) {
                    float e = expected.data()[i];
                    // half an ULP of the stored format: exact for F32, 2^-11 relative for F16, 2^-8 for BF16
                    float tolerance = switch (dtype) {
                        case F32 -> 0f;
                        case F16 -> Math.abs(e) * 0x1p-11f;
                        case BF16 -> Math.abs(e) * 0x1p-8f;
                    };
                    assertThat(actual.data()[i]).as("%s[%d]", expected.name(), i).isCloseTo(e, within(tolerance));
                }
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void headerIsPaddedToEightBytes() throws Exception {
        Path file = dir.resolve("x.safetensors");
        SafetensorsWriter.write(file, Map.of("x", randomTensor("x", 3)), SafetensorsDtype.F16);
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).isZero();
        assertThat(Files.size(file)).isEqualTo(8 + headerLength + 3 * 2);
    }

    @Test
    void overwritesAtomically() throws Exception {
        Path file = dir.resolve("x.safetensors");
        SafetensorsWriter.write(file, Map.of("x", randomTensor("x", 3)), SafetensorsDtype.F32);
        SafetensorsWriter.write(file, Map.of("y", randomTensor("y", 2)), SafetensorsDtype.F32);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.tensorNames()).containsExactly("y");
        }
    }

    @Test
    void readsShardedCheckpoints() throws Exception {
        Tensor a = randomTensor("a", 4, 2);
        Tensor b = randomTensor("b", 3);
        SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), Map.of("a", a), SafetensorsDtype.F32);
        SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), Map.of("b", b), SafetensorsDtype.BF16);
        Files.writeString(dir.resolve(SafetensorsShards.INDEX_FILE), """
                {"metadata": {"total_size": 38},
                 "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}
                """);
        try (SafetensorsShards shards = SafetensorsShards.open(dir)) {
            assertThat(shards.tensorNames()).containsExactly("a", "b");
            assertThat(shards.files()).hasSize(2);
            assertThat(shards.read("a").data()).containsExactly(a.data());
            assertThat(shards.shape("b")).containsExactly(3);
            assertThatThrownBy(() -> shards.read("c")).isInstanceOf(WeightFormatException.class)
                    .hasMessageContaining("tensor 'c' not found");
        }
    }

    @Test
    void indexPointingToAMissingShard() throws Exception {
        Files.writeString(dir.resolve(SafetensorsShards.INDEX_FILE), "{\"weight_map\": {\"a\": \"gone.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsShards.open(dir)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("gone.safetensors").hasMessageContaining("does not exist");
    }

    @Test
    void truncatedData() throws Exception {
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, Map.of("w", randomTensor("w", 8)), SafetensorsDtype.F32);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("truncated: tensor 'w'");
    }

    @Test
    void truncatedHeader() throws Exception {
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, Map.of("w", randomTensor("w", 8)), SafetensorsDtype.F32);
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 20));
        assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("truncated: header");
    }

    @Test
    void invalidHeaderJson() throws Exception {
        Path file = rawFile("{\"w\": {\"dtype\": \"F32\", ", new byte[0]);
        assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("invalid header JSON");
    }

    @Test
    void unsupportedDtypeFailsOnRead() throws Exception {
        Path file = rawFile("{\"ids\": {\"dtype\": \"I64\", \"shape\": [1], \"data_offsets\": [0, 8]}}", new byte[8]);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThatThrownBy(() -> st.read("ids")).isInstanceOf(WeightFormatException.class)
                    .hasMessageContaining("tensor 'ids' has dtype I64");
        }
    }

    @Test
    void sizeNotMatchingTheShape() throws Exception {
        Path file = rawFile("{\"w\": {\"dtype\": \"F16\", \"shape\": [3], \"data_offsets\": [0, 4]}}", new byte[4]);
        assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining("4 bytes do not match shape [3] of F16");
    }

    @Test
    void shapeWhoseElementCountWrapsIsAFormatError() throws Exception {
        // 2^64 elements: an unchecked product wraps to 0, which would match the 0 bytes
        Path file = rawFile("{\"w\": {\"dtype\": \"F32\", \"shape\": [65536, 65536, 65536, 65536], "
                + "\"data_offsets\": [0, 0]}}", new byte[0]);
        assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("tensor 'w' [65536, 65536, 65536, 65536] F32: size overflows a long");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
            "F32; [2]; [0, 4]; 4 bytes do not match shape [2] of F32",
            "I64; [2]; [0, 8]; 8 bytes do not match shape [2] of I64",
            "F32; [2]; [8, 4]; tensor 'w' has data_offsets [8, 4]",
            "F32; [2]; [-8, 0]; tensor 'w' has data_offsets [-8, 0]",
            "F32; [2]; [8, 16]; truncated: tensor 'w' needs 8 bytes at data offset 8 but the data section has 8 bytes",
            "F32; [2]; [0, 8.5]; tensor 'w' has data_offsets [0,8.5]",
            "F32; [2]; [0, 18446744073709551624]; tensor 'w' has data_offsets [0,18446744073709551624]",
            "F32; [-2]; [0, 8]; tensor 'w' has shape [-2]",
            "F32; [2.5]; [0, 8]; tensor 'w' has shape [2.5]",
            "F33; [2]; [0, 8]; tensor 'w' has unknown dtype 'F33'"})
    void mismatchedHeaderEntriesAreFormatErrors(String dtype, String shape, String offsets, String problem)
            throws Exception {
        Path file = rawFile("{\"w\": {\"dtype\": \"" + dtype + "\", \"shape\": " + shape + ", \"data_offsets\": "
                + offsets + "}}", new byte[8]);
        assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(problem);
    }

    @ParameterizedTest
    @ValueSource(longs = {1000, 1L << 40, -1, Long.MIN_VALUE})
    void headerLengthBeyondTheFileIsAFormatError(long headerLength) throws Exception {
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, Map.of("w", randomTensor("w", 8)), SafetensorsDtype.F32);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isLessThan(1000);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerLength);
        Files.write(file, bytes);
        assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(WeightFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("header")
                .hasMessageContaining(Long.toUnsignedString(headerLength));
    }

    private Path rawFile(String header, byte[] data) throws Exception {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).put(data);
        return Files.write(dir.resolve("raw.safetensors"), b.array());
    }

    private Tensor randomTensor(String name, int... shape) {
        float[] data = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian() * 3;
        }
        return new Tensor(name, shape, data);
    }
}
