package ai.bellm.train;

import ai.bellm.embed.SentenceEmbedder;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Every distinct text of a data set, prompted and tokenized once for the whole run. */
final class TokenizedTexts {

    private final Map<String, int[]> tokens = new HashMap<>();

    TokenizedTexts(Collection<String> texts, SentenceEmbedder embedder) {
        for (String text : texts) {
            tokens.computeIfAbsent(text, embedder::tokenize);
        }
    }

    int[] of(String text) {
        int[] ids = tokens.get(text);
        if (ids == null) {
            throw new IllegalStateException("text was not tokenized up front: " + text);
        }
        return ids;
    }

    long tokenCount() {
        return tokens.values().stream().mapToLong(ids -> ids.length).sum();
    }
}
