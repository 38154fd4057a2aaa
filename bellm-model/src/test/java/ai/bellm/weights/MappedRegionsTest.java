package ai.bellm.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedRegionsTest {

    @TempDir
    Path dir;

    @Test
    void chunksAreWholeUnitsAndCoverTheRegion() throws Exception {
        byte[] bytes = new byte[1000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        Path file = Files.write(dir.resolve("data.bin"), bytes);
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        List<Long> offsets = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file)) {
            // 34-byte units (one Q8_0 block) with a 100-byte limit: chunks of 68 bytes
            MappedRegions.forEachChunk(channel, file, "region", 10, 340, 34, 100, (chunk, regionOffset) -> {
                offsets.add(regionOffset);
                assertThat(chunk.remaining() % 34).isZero();
                while (chunk.hasRemaining()) {
                    seen.write(chunk.get());
                }
            });
        }
        assertThat(offsets).containsExactly(0L, 68L, 136L, 204L, 272L);
        byte[] expected = new byte[340];
        System.arraycopy(bytes, 10, expected, 0, 340);
        assertThat(seen.toByteArray()).isEqualTo(expected);
    }

    @Test
    void refusesToMapBeyondTheEndOfTheFile() throws Exception {
        Path file = Files.write(dir.resolve("short.bin"), new byte[10]);
        try (FileChannel channel = FileChannel.open(file)) {
            assertThatThrownBy(() -> MappedRegions.forEachChunk(channel, file, "tensor 'w'", 4, 8, 1, (c, o) -> { }))
                    .isInstanceOf(WeightFormatException.class)
                    .hasMessageContaining("truncated: tensor 'w' needs bytes 4..12 but the file has 10 bytes");
        }
    }
}
