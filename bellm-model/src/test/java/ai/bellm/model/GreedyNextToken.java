package ai.bellm.model;

import ai.bellm.embed.EmbeddingModel;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** The token a real model predicts most likely after a prompt, decoded: what the generation tests check. */
final class GreedyNextToken {

    private GreedyNextToken() {
    }

    static String after(EmbeddingModel loaded, String prompt) {
        int[] ids = loaded.tokenizer().encode(prompt);
        TokenBatch batch = new TokenBatch(List.of(ids));
        LlamaModel model = loaded.model();
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray logits = model.nextTokenLogits(model.forward(scope, batch, LayerAttention.allCausal()), batch);
            int next = (int) logits.argMax(1).toLongArray()[0];
            return loaded.tokenizer().decode(new int[] {next});
        }
    }
}
