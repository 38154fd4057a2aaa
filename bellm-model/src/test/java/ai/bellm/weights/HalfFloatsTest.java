package ai.bellm.weights;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    @Test
    void f16KnownValues() {
        assertThat(HalfFloats.floatToF16(1.0f)).isEqualTo((short) 0x3c00);
        assertThat(HalfFloats.floatToF16(-2.0f)).isEqualTo((short) 0xc000);
        assertThat(HalfFloats.floatToF16(65504f)).isEqualTo((short) 0x7bff);
        assertThat(HalfFloats.floatToF16(65520f)).isEqualTo((short) 0x7c00); // rounds to infinity
        assertThat(HalfFloats.floatToF16(0x1p-24f)).isEqualTo((short) 0x0001); // smallest subnormal
        assertThat(HalfFloats.floatToF16(0x1p-26f)).isEqualTo((short) 0x0000);
        assertThat(HalfFloats.f16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(HalfFloats.f16ToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.NaN))).isNaN();
    }

    @Test
    void f16RoundsToNearestEven() {
        float ulp = 0x1p-10f; // F16 spacing at 1.0
        assertThat(HalfFloats.floatToF16(1 + ulp / 2)).isEqualTo((short) 0x3c00); // tie -> even (down)
        assertThat(HalfFloats.floatToF16(1 + 3 * ulp / 2)).isEqualTo((short) 0x3c02); // tie -> even (up)
        assertThat(HalfFloats.floatToF16(1 + ulp / 2 + 0x1p-20f)).isEqualTo((short) 0x3c01);
        assertThat(HalfFloats.floatToF16(3 * 0x1p-25f)).isEqualTo((short) 0x0002); // subnormal tie -> even
    }

    @Test
    void everyFiniteF16SurvivesARoundTrip() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            float value = HalfFloats.f16ToFloat((short) bits);
            if (!Float.isNaN(value)) {
                assertThat(HalfFloats.floatToF16(value) & 0xffff).as("0x%04x", bits).isEqualTo(bits);
            }
        }
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertThat(HalfFloats.floatToBf16(1.0f)).isEqualTo((short) 0x3f80);
        assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3f808000))).isEqualTo((short) 0x3f80);
        assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3f818000))).isEqualTo((short) 0x3f82);
        assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3f808001))).isEqualTo((short) 0x3f81);
        assertThat(HalfFloats.bf16ToFloat((short) 0xc020)).isEqualTo(-2.5f);
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))).isNaN();
    }
}
