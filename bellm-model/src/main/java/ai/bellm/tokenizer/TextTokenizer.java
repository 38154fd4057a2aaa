package ai.bellm.tokenizer;

/** Text to token ids and back, as the model was trained to read it. */
public interface TextTokenizer extends AutoCloseable {

    /** Token ids of {@code text}, with the special tokens the model expects (e.g. a BOS token) already added. */
    int[] encode(String text);

    /** Ids of {@code text} as a fragment: never any special token added. */
    int[] encodeFragment(String text);

    String decode(int[] ids);

    @Override
    void close();
}
