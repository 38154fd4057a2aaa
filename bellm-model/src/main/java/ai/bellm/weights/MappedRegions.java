package ai.bellm.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Memory-maps a region of a file in chunks of at most 1 GB, so neither the file nor a tensor hits the 2 GB limit. */
final class MappedRegions {

    static final long MAX_CHUNK = 1L << 30;

    @FunctionalInterface
    interface ChunkConsumer {
        /** @param chunk little-endian buffer over the chunk; @param regionOffset where the chunk starts in the region */
        void accept(ByteBuffer chunk, long regionOffset) throws IOException;
    }

    private MappedRegions() {
    }

    /**
     * Maps {@code [offset, offset + length)} chunk by chunk. Chunks are whole multiples of {@code unit} bytes so that
     * no element or quantization block straddles two chunks. Checks the file size first: touching a mapping beyond
     * the end of the file would crash the JVM.
     */
    static void forEachChunk(FileChannel channel, Path file, String what, long offset, long length, int unit,
            ChunkConsumer consumer) throws IOException {
        forEachChunk(channel, file, what, offset, length, unit, MAX_CHUNK, consumer);
    }

    /** As above with a chosen chunk limit (tests use a small one to cross chunk boundaries). */
    static void forEachChunk(FileChannel channel, Path file, String what, long offset, long length, int unit,
            long maxChunk, ChunkConsumer consumer) throws IOException {
        long size = channel.size();
        if (offset < 0 || length < 0 || length > size - offset) { // not offset + length > size: that may wrap
            throw new WeightFormatException(file, "truncated: " + what + " needs bytes " + offset + ".."
                    + (offset + length) + " but the file has " + size + " bytes");
        }
        long chunkSize = maxChunk - maxChunk % unit;
        for (long done = 0; done < length; done += chunkSize) {
            long n = Math.min(chunkSize, length - done);
            ByteBuffer chunk = channel.map(FileChannel.MapMode.READ_ONLY, offset + done, n)
                    .order(ByteOrder.LITTLE_ENDIAN);
            consumer.accept(chunk, done);
        }
    }
}
