package ai.bellm.weights;

import java.nio.ByteBuffer;

/**
 * Widens GGML blocks to F32, one method per block type, following the block layouts of ggml
 * ({@code ggml-common.h}, {@code dequantize_row_*} in {@code ggml-quants.c}). All multi-byte fields are little-endian;
 * {@code d} / {@code m} are the block scale and minimum, {@code qs} the packed quants.
 */
public final class Dequantizer {

    private static final int QK_K = 256;

    private Dequantizer() {
    }

    /**
     * Dequantizes {@code blocks} blocks of {@code type} starting at {@code src.position()} into {@code dst} from
     * {@code dstOffset}. For F32/F16/BF16 a block is one value.
     */
    public static void dequantize(GgmlType type, ByteBuffer src, long blocks, float[] dst, int dstOffset) {
        int pos = src.position();
        int out = dstOffset;
        for (long b = 0; b < blocks; b++, pos += type.blockBytes(), out += type.blockSize()) {
            switch (type) {
                case F32 -> dst[out] = src.getFloat(pos);
                case F16 -> dst[out] = half(src, pos);
                case BF16 -> dst[out] = HalfFloats.bf16ToFloat(src.getShort(pos));
                case Q4_0 -> q4_0(src, pos, dst, out);
                case Q4_1 -> q4_1(src, pos, dst, out);
                case Q5_0 -> q5_0(src, pos, dst, out);
                case Q5_1 -> q5_1(src, pos, dst, out);
                case Q8_0 -> q8_0(src, pos, dst, out);
                case Q4_K -> q4_k(src, pos, dst, out);
                case Q5_K -> q5_k(src, pos, dst, out);
                case Q6_K -> q6_k(src, pos, dst, out);
                case Q8_K -> q8_k(src, pos, dst, out);
            }
        }
    }

    /** d: f16, qs[16]: value j in the low nibble of byte j, value j+16 in its high nibble; x = (q - 8) * d. */
    static void q4_0(ByteBuffer b, int p, float[] y, int o) {
        float d = half(b, p);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, p + 2 + j);
            y[o + j] = ((q & 0xf) - 8) * d;
            y[o + j + 16] = ((q >>> 4) - 8) * d;
        }
    }

    /** d, m: f16, qs[16] as in Q4_0; x = q * d + m. */
    static void q4_1(ByteBuffer b, int p, float[] y, int o) {
        float d = half(b, p);
        float m = half(b, p + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, p + 4 + j);
            y[o + j] = (q & 0xf) * d + m;
            y[o + j + 16] = (q >>> 4) * d + m;
        }
    }

    /** d: f16, qh: u32 with the 5th bit of value i at bit i, qs[16] as in Q4_0; x = (q - 16) * d. */
    static void q5_0(ByteBuffer b, int p, float[] y, int o) {
        float d = half(b, p);
        int qh = b.getInt(p + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, p + 6 + j);
            y[o + j] = (((q & 0xf) | fifthBit(qh, j)) - 16) * d;
            y[o + j + 16] = (((q >>> 4) | fifthBit(qh, j + 16)) - 16) * d;
        }
    }

    /** d, m: f16, qh: u32, qs[16] as in Q5_0; x = q * d + m. */
    static void q5_1(ByteBuffer b, int p, float[] y, int o) {
        float d = half(b, p);
        float m = half(b, p + 2);
        int qh = b.getInt(p + 4);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, p + 8 + j);
            y[o + j] = ((q & 0xf) | fifthBit(qh, j)) * d + m;
            y[o + j + 16] = ((q >>> 4) | fifthBit(qh, j + 16)) * d + m;
        }
    }

    /** d: f16, qs[32]: int8; x = q * d. */
    static void q8_0(ByteBuffer b, int p, float[] y, int o) {
        float d = half(b, p);
        for (int j = 0; j < 32; j++) {
            y[o + j] = b.get(p + 2 + j) * d;
        }
    }

    /**
     * d, dmin: f16, scales[12]: eight 6-bit (scale, min) pairs, qs[128]. Each 64 values use two pairs: the low nibbles
     * of 32 bytes with the first, their high nibbles with the second; x = d * sc * q - dmin * m.
     */
    static void q4_k(ByteBuffer b, int p, float[] y, int o) {
        float d = half(b, p);
        float dmin = half(b, p + 2);
        int scales = p + 4;
        int qs = p + 16;
        for (int group = 0; group < 4; group++, qs += 32, o += 64) {
            float d1 = d * scaleK4(b, scales, 2 * group);
            float m1 = dmin * minK4(b, scales, 2 * group);
            float d2 = d * scaleK4(b, scales, 2 * group + 1);
            float m2 = dmin * minK4(b, scales, 2 * group + 1);
            for (int l = 0; l < 32; l++) {
                int q = u8(b, qs + l);
                y[o + l] = d1 * (q & 0xf) - m1;
                y[o + l + 32] = d2 * (q >>> 4) - m2;
            }
        }
    }

    /**
     * d, dmin: f16, scales[12] as in Q4_K, qh[32], qs[128]. As Q4_K, plus a 5th bit from qh: value l of the n-th
     * 32-value run takes bit n of qh[l].
     */
    static void q5_k(ByteBuffer b, int p, float[] y, int o) {
        float d = half(b, p);
        float dmin = half(b, p + 2);
        int scales = p + 4;
        int qh = p + 16;
        int qs = p + 48;
        for (int group = 0; group < 4; group++, qs += 32, o += 64) {
            float d1 = d * scaleK4(b, scales, 2 * group);
            float m1 = dmin * minK4(b, scales, 2 * group);
            float d2 = d * scaleK4(b, scales, 2 * group + 1);
            float m2 = dmin * minK4(b, scales, 2 * group + 1);
            for (int l = 0; l < 32; l++) {
                int q = u8(b, qs + l);
                int high = u8(b, qh + l);
                y[o + l] = d1 * ((q & 0xf) | ((high >>> (2 * group)) & 1) << 4) - m1;
                y[o + l + 32] = d2 * ((q >>> 4) | ((high >>> (2 * group + 1)) & 1) << 4) - m2;
            }
        }
    }

    /**
     * ql[128]: low 4 bits, qh[64]: high 2 bits, scales[16]: int8 per 16 values, d: f16; x = d * sc * (q - 32).
     * Each half of the block (128 values) uses 64 bytes of ql, 32 of qh and 8 scales.
     */
    static void q6_k(ByteBuffer b, int p, float[] y, int o) {
        float d = half(b, p + 208);
        int ql = p;
        int qh = p + 128;
        int sc = p + 192;
        for (int half = 0; half < 2; half++, ql += 64, qh += 32, sc += 8, o += 128) {
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int low1 = u8(b, ql + l);
                int low2 = u8(b, ql + l + 32);
                int high = u8(b, qh + l);
                int q1 = ((low1 & 0xf) | (high & 3) << 4) - 32;
                int q2 = ((low2 & 0xf) | ((high >>> 2) & 3) << 4) - 32;
                int q3 = ((low1 >>> 4) | ((high >>> 4) & 3) << 4) - 32;
                int q4 = ((low2 >>> 4) | ((high >>> 6) & 3) << 4) - 32;
                y[o + l] = d * b.get(sc + is) * q1;
                y[o + l + 32] = d * b.get(sc + is + 2) * q2;
                y[o + l + 64] = d * b.get(sc + is + 4) * q3;
                y[o + l + 96] = d * b.get(sc + is + 6) * q4;
            }
        }
    }

    /** d: f32, qs[256]: int8, bsums[16]: int16 (sums for dot products, not needed here); x = q * d. */
    static void q8_k(ByteBuffer b, int p, float[] y, int o) {
        float d = b.getFloat(p);
        for (int j = 0; j < QK_K; j++) {
            y[o + j] = b.get(p + 4 + j) * d;
        }
    }

    /** 6-bit scale j of a K-quant scales[12] field (ggml's get_scale_min_k4). */
    private static int scaleK4(ByteBuffer b, int scales, int j) {
        return j < 4
                ? u8(b, scales + j) & 63
                : (u8(b, scales + j + 4) & 0xf) | (u8(b, scales + j - 4) >>> 6) << 4;
    }

    /** 6-bit min j of a K-quant scales[12] field. */
    private static int minK4(ByteBuffer b, int scales, int j) {
        return j < 4
                ? u8(b, scales + j + 4) & 63
                : (u8(b, scales + j + 4) >>> 4) | (u8(b, scales + j) >>> 6) << 4;
    }

    private static int fifthBit(int qh, int i) {
        return ((qh >>> i) & 1) << 4;
    }

    private static float half(ByteBuffer b, int p) {
        return HalfFloats.f16ToFloat(b.getShort(p));
    }

    private static int u8(ByteBuffer b, int p) {
        return b.get(p) & 0xff;
    }
}
