package ai.bellm.eval;

/** The embedding settings a result was obtained with (batch size is left out: it does not change the numbers). */
public record Settings(Integer bidirectionalFrom, String pooling, String prompt, int maxTokens) {

    static Settings of(EmbeddingSettings settings, Integer bidirectionalFrom) {
        return new Settings(bidirectionalFrom, settings.pooling, settings.prompt, settings.maxTokens);
    }
}
