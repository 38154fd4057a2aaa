package ai.bellm.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hand-built blocks of every supported type. Scales are exact in F16, so the expected values are exact too.
 * K-quant expectations are computed per value from the layout description, independently of the decoder's loops.
 */
class DequantizerTest {

    private final Random random = new Random(42);

    @Test
    void f32F16Bf16() {
        ByteBuffer f32 = block(8).putFloat(1.5f).putFloat(-2.25f);
        ByteBuffer f16 = block(4).putShort((short) 0x3c00).putShort((short) 0xc100); // 1.0, -2.5
        ByteBuffer bf16 = block(4).putShort((short) 0x3f80).putShort((short) 0xc020); // 1.0, -2.5
        assertThat(decode(GgmlType.F32, f32, 2)).containsExactly(1.5f, -2.25f);
        assertThat(decode(GgmlType.F16, f16, 2)).containsExactly(1.0f, -2.5f);
        assertThat(decode(GgmlType.BF16, bf16, 2)).containsExactly(1.0f, -2.5f);
    }

    @Test
    void q4_0() {
        ByteBuffer b = block(18).putShort(f16(0.5f));
        for (int j = 0; j < 16; j++) {
            b.put((byte) (j | (15 - j) << 4)); // value j = j, value j+16 = 15-j
        }
        float[] y = decode(GgmlType.Q4_0, b, 1);
        assertThat(y[0]).isEqualTo(-4.0f); // (0 - 8) * 0.5
        assertThat(y[15]).isEqualTo(3.5f); // (15 - 8) * 0.5
        assertThat(y[16]).isEqualTo(3.5f);
        assertThat(y[31]).isEqualTo(-4.0f);
        for (int j = 0; j < 16; j++) {
            assertThat(y[j]).isEqualTo((j - 8) * 0.5f);
            assertThat(y[j + 16]).isEqualTo((15 - j - 8) * 0.5f);
        }
    }

    @Test
    void q4_1() {
        ByteBuffer b = block(20).putShort(f16(0.25f)).putShort(f16(-1.0f));
        for (int j = 0; j < 16; j++) {
            b.put((byte) (j | 3 << 4));
        }
        float[] y = decode(GgmlType.Q4_1, b, 1);
        assertThat(y[0]).isEqualTo(-1.0f);
        assertThat(y[15]).isEqualTo(2.75f); // 15 * 0.25 - 1
        for (int j = 16; j < 32; j++) {
            assertThat(y[j]).isEqualTo(-0.25f); // 3 * 0.25 - 1
        }
    }

    @Test
    void q5_0() {
        // qh bit i is the 5th bit of value i: set it for values 0, 17 and 31
        int qh = 1 | 1 << 17 | 1 << 31;
        ByteBuffer b = block(22).putShort(f16(2.0f)).putInt(qh);
        for (int j = 0; j < 16; j++) {
            b.put((byte) 0x21); // low nibble 1 (values 0..15), high nibble 2 (values 16..31)
        }
        float[] y = decode(GgmlType.Q5_0, b, 1);
        assertThat(y[0]).isEqualTo(2.0f); // (1 + 16 - 16) * 2
        assertThat(y[1]).isEqualTo(-30.0f); // (1 - 16) * 2
        assertThat(y[16]).isEqualTo(-28.0f); // (2 - 16) * 2
        assertThat(y[17]).isEqualTo(4.0f); // (2 + 16 - 16) * 2
        assertThat(y[31]).isEqualTo(4.0f);
    }

    @Test
    void q5_1() {
        int qh = 1 << 3 | 1 << 20;
        ByteBuffer b = block(24).putShort(f16(0.5f)).putShort(f16(1.0f)).putInt(qh);
        for (int j = 0; j < 16; j++) {
            b.put((byte) 0xf0); // low nibble 0, high nibble 15
        }
        float[] y = decode(GgmlType.Q5_1, b, 1);
        assertThat(y[0]).isEqualTo(1.0f); // 0 * 0.5 + 1
        assertThat(y[3]).isEqualTo(9.0f); // 16 * 0.5 + 1
        assertThat(y[16]).isEqualTo(8.5f); // 15 * 0.5 + 1
        assertThat(y[20]).isEqualTo(16.5f); // 31 * 0.5 + 1
    }

    @Test
    void q8_0() {
        ByteBuffer b = block(34).putShort(f16(0.125f));
        for (int j = 0; j < 32; j++) {
            b.put((byte) (j * 8 - 128));
        }
        float[] y = decode(GgmlType.Q8_0, b, 1);
        assertThat(y[0]).isEqualTo(-16.0f);
        assertThat(y[31]).isEqualTo(15.0f); // 120 * 0.125
        assertThat(y[16]).isEqualTo(0.0f);
    }

    @Test
    void q8_k() {
        ByteBuffer b = block(292).putFloat(0.5f);
        for (int j = 0; j < 256; j++) {
            b.put((byte) (j - 128));
        }
        b.put(new byte[32]); // bsums, unused when dequantizing
        float[] y = decode(GgmlType.Q8_K, b, 1);
        for (int j = 0; j < 256; j++) {
            assertThat(y[j]).isEqualTo((j - 128) * 0.5f);
        }
    }

    // K-quants: 256 values in 8 sub-blocks of 32 with 6-bit (scale, min) pairs, values >= 16 exercise the packing
    private static final int[] SCALES = {1, 2, 3, 63, 17, 33, 48, 5};
    private static final int[] MINS = {0, 7, 16, 1, 63, 32, 9, 20};

    @Test
    void q4_k() {
        byte[] qs = randomBytes(128);
        ByteBuffer b = block(144).putShort(f16(0.5f)).putShort(f16(0.25f)).put(packScalesK4()).put(qs);
        float[] y = decode(GgmlType.Q4_K, b, 1);
        for (int i = 0; i < 256; i++) {
            int q = nibble(qs[i / 64 * 32 + i % 32], i % 64 >= 32); // each 64 values: 32 low nibbles, 32 high
            int sub = i / 32;
            assertThat(y[i]).as("value %d", i).isEqualTo(0.5f * SCALES[sub] * q - 0.25f * MINS[sub]);
        }
    }

    @Test
    void q5_k() {
        byte[] qh = randomBytes(32);
        byte[] qs = randomBytes(128);
        ByteBuffer b = block(176).putShort(f16(0.5f)).putShort(f16(0.25f)).put(packScalesK4()).put(qh).put(qs);
        float[] y = decode(GgmlType.Q5_K, b, 1);
        for (int i = 0; i < 256; i++) {
            int sub = i / 32;
            int fifth = (qh[i % 32] >> sub) & 1; // sub-block n takes bit n of qh[l]
            int q = nibble(qs[i / 64 * 32 + i % 32], i % 64 >= 32) + 16 * fifth;
            assertThat(y[i]).as("value %d", i).isEqualTo(0.5f * SCALES[sub] * q - 0.25f * MINS[sub]);
        }
    }

    @Test
    void q6_k() {
        byte[] ql = randomBytes(128);
        byte[] qh = randomBytes(64);
        byte[] scales = new byte[16];
        for (int s = 0; s < 16; s++) {
            scales[s] = (byte) (s * 9 - 70); // signed scales
        }
        ByteBuffer b = block(210).put(ql).put(qh).put(scales).putShort(f16(0.5f));
        float[] y = decode(GgmlType.Q6_K, b, 1);
        for (int i = 0; i < 256; i++) {
            // per 128 values: quarter 0..3 of 32; low nibbles of ql[0..31], ql[32..63], then their high nibbles
            int half = i / 128;
            int quarter = i % 128 / 32;
            int l = i % 32;
            int low = nibble(ql[64 * half + l + 32 * (quarter % 2)], quarter >= 2);
            int high = (qh[32 * half + l] >> (2 * quarter)) & 3;
            int q = (low | high << 4) - 32;
            assertThat(y[i]).as("value %d", i).isEqualTo(0.5f * scales[i / 16] * q);
        }
    }

    @Test
    void decodesConsecutiveBlocks() {
        ByteBuffer b = block(68).putShort(f16(1.0f));
        for (int j = 0; j < 32; j++) {
            b.put((byte) 1);
        }
        b.putShort(f16(-2.0f));
        for (int j = 0; j < 32; j++) {
            b.put((byte) 3);
        }
        float[] y = decode(GgmlType.Q8_0, b, 2);
        assertThat(y[31]).isEqualTo(1.0f);
        assertThat(y[32]).isEqualTo(-6.0f);
    }

    /** The 12-byte scales field of Q4_K/Q5_K: 6-bit pairs 0..3 in the low bits, 4..7 split over the rest. */
    private static byte[] packScalesK4() {
        byte[] packed = new byte[12];
        for (int j = 0; j < 4; j++) {
            packed[j] = (byte) (SCALES[j] | (SCALES[j + 4] >> 4) << 6);
            packed[j + 4] = (byte) (MINS[j] | (MINS[j + 4] >> 4) << 6);
            packed[j + 8] = (byte) ((SCALES[j + 4] & 0xf) | (MINS[j + 4] & 0xf) << 4);
        }
        return packed;
    }

    private static int nibble(byte b, boolean high) {
        return high ? (b & 0xff) >> 4 : b & 0xf;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static short f16(float value) {
        return HalfFloats.floatToF16(value);
    }

    private static ByteBuffer block(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static float[] decode(GgmlType type, ByteBuffer filled, int blocks) {
        assertThat(filled.remaining()).as("block fully written").isZero();
        filled.flip();
        float[] out = new float[blocks * type.blockSize()];
        Dequantizer.dequantize(type, filled, blocks, out, 0);
        return out;
    }
}
