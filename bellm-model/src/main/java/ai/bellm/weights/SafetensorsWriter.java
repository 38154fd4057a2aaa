package ai.bellm.weights;

import ai.bellm.io.AtomicFile;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Writes tensors to a {@code .safetensors} file atomically: a temporary file in the same directory, fsync, rename. */
public final class SafetensorsWriter {

    private static final int BUFFER_BYTES = 1 << 20;

    private SafetensorsWriter() {
    }

    public static void write(Path file, Map<String, Tensor> tensors, SafetensorsDtype dtype) throws IOException {
        write(file, tensors, dtype, Map.of());
    }

    /**
     * @param tensors by name (the map key is the name written); written in name order
     * @param metadata written under {@code __metadata__} when not empty
     */
    public static void write(Path file, Map<String, Tensor> tensors, SafetensorsDtype dtype,
            Map<String, String> metadata) throws IOException {
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        byte[] header = header(sorted, dtype, metadata);
        AtomicFile.write(file, tmp -> {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buffer.putLong(header.length);
                flush(out, buffer);
                writeFully(out, ByteBuffer.wrap(header));
                for (Tensor tensor : sorted.values()) {
                    for (float value : tensor.data()) {
                        if (buffer.remaining() < dtype.bytes()) {
                            flush(out, buffer);
                        }
                        dtype.encode(value, buffer);
                    }
                }
                flush(out, buffer);
                out.force(true);
            }
        });
    }

    private static byte[] header(Map<String, Tensor> tensors, SafetensorsDtype dtype, Map<String, String> metadata) {
        ObjectNode json = SafetensorsFile.JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = json.putObject("__metadata__");
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            long size = entry.getValue().data().length * (long) dtype.bytes();
            ObjectNode info = json.putObject(entry.getKey());
            info.put("dtype", dtype.name());
            ArrayNode shape = info.putArray("shape");
            for (int d : entry.getValue().shape()) {
                shape.add(d);
            }
            info.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        // pad with spaces so the data section starts 8-byte aligned, as the reference writer does
        byte[] padded = Arrays.copyOf(text, (text.length + 7) / 8 * 8);
        Arrays.fill(padded, text.length, padded.length, (byte) ' ');
        return padded;
    }

    private static void flush(FileChannel out, ByteBuffer buffer) throws IOException {
        buffer.flip();
        writeFully(out, buffer);
        buffer.clear();
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
