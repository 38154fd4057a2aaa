package ai.bellm.tokenizer;

/**
 * GPT-2's byte-to-character table of byte-level BPE: printable bytes stand for themselves, the others are moved to
 * code points from 256 on, so that every byte has a visible, non-whitespace character in the vocabulary.
 */
public final class ByteLevelAlphabet {

    private static final char[] BYTE_TO_CHAR = build();

    private ByteLevelAlphabet() {
    }

    public static char charOf(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    private static char[] build() {
        char[] table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = (char) (printable ? b : next++);
        }
        return table;
    }
}
