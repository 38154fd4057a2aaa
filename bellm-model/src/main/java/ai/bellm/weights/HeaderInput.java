package ai.bellm.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Buffered little-endian reads from the start of a file; running past the end is a "truncated" format error. */
final class HeaderInput {

    private final FileChannel channel;
    private final Path file;
    private final long fileSize;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long bufferStart;

    HeaderInput(FileChannel channel, Path file) throws IOException {
        this.channel = channel;
        this.file = file;
        this.fileSize = channel.size();
        buffer.limit(0);
    }

    long position() {
        return bufferStart + buffer.position();
    }

    long remainingInFile() {
        return fileSize - position();
    }

    int u8() throws IOException {
        return ensure(1, "u8").get() & 0xff;
    }

    short i16() throws IOException {
        return ensure(2, "i16").getShort();
    }

    int i32() throws IOException {
        return ensure(4, "i32").getInt();
    }

    long u32() throws IOException {
        return i32() & 0xffffffffL;
    }

    long i64() throws IOException {
        return ensure(8, "i64").getLong();
    }

    float f32() throws IOException {
        return ensure(4, "f32").getFloat();
    }

    double f64() throws IOException {
        return ensure(8, "f64").getDouble();
    }

    /** A GGUF string: u64 byte length, then UTF-8 bytes. */
    String string(String what) throws IOException {
        long length = i64();
        if (length < 0 || length > remainingInFile()) {
            throw truncated(what + " (string of " + Long.toUnsignedString(length) + " bytes)");
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new WeightFormatException(file, what + ": string of " + length + " bytes is too long");
        }
        byte[] bytes = new byte[(int) length];
        int done = 0;
        while (done < bytes.length) {
            ByteBuffer b = ensure(1, what);
            int n = Math.min(b.remaining(), bytes.length - done);
            b.get(bytes, done, n);
            done += n;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    WeightFormatException truncated(String what) {
        return new WeightFormatException(file, "truncated: header ends at byte " + fileSize + " while reading " + what
                + " at byte " + position());
    }

    private ByteBuffer ensure(int n, String what) throws IOException {
        if (buffer.remaining() >= n) {
            return buffer;
        }
        if (position() + n > fileSize) {
            throw truncated(what);
        }
        bufferStart = position();
        buffer.clear();
        while (buffer.position() < n) {
            if (channel.read(buffer, bufferStart + buffer.position()) < 0) {
                throw truncated(what);
            }
        }
        buffer.flip();
        return buffer;
    }
}
