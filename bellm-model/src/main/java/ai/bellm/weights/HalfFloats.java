package ai.bellm.weights;

/** Conversions between F32 and the 16-bit formats F16 (IEEE binary16) and BF16, rounding to nearest even. */
public final class HalfFloats {

    // every F16 bit pattern decoded once: dequantizing reads one or two halves per block
    private static final float[] F16_TABLE = new float[1 << 16];

    static {
        for (int i = 0; i < F16_TABLE.length; i++) {
            F16_TABLE[i] = decodeF16(i);
        }
    }

    private HalfFloats() {
    }

    public static float f16ToFloat(short half) {
        return F16_TABLE[half & 0xffff];
    }

    public static float bf16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xffff) << 16);
    }

    public static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) { // infinity or NaN (NaN keeps a quiet payload bit)
            return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 | ((abs >>> 13) & 0x3ff) : 0));
        }
        if (abs >= 0x477ff000) { // >= 65520 rounds to infinity
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) { // below 2^-14: F16 subnormal, a multiple of 2^-24 (rint rounds half to even)
            return (short) (sign | (int) Math.rint(Float.intBitsToFloat(abs) * 0x1p24));
        }
        int rebiased = abs - (112 << 23); // exponent bias 127 -> 15
        rebiased += 0xfff + ((rebiased >>> 13) & 1);
        return (short) (sign | (rebiased >>> 13));
    }

    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x40); // NaN stays NaN
        }
        bits += 0x7fff + ((bits >>> 16) & 1);
        return (short) (bits >>> 16);
    }

    private static float decodeF16(int half) {
        int sign = (half & 0x8000) << 16;
        int exp = (half >>> 10) & 0x1f;
        int mantissa = half & 0x3ff;
        if (exp == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mantissa << 13));
    }
}
