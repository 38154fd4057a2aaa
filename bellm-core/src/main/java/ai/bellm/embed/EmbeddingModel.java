package ai.bellm.embed;

import ai.bellm.model.LlamaCheckpoint;
import ai.bellm.model.LlamaModel;
import ai.bellm.tokenizer.ByteLevelBpeJson;
import ai.bellm.tokenizer.HfTokenizer;
import ai.bellm.tokenizer.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A model ready to embed: the decoder's weights, its tokenizer and the embedding settings that go with it.
 * Loads a GGUF file or a Hugging Face LLaMA directory ({@code config.json}, safetensors, {@code tokenizer.json}).
 */
public final class EmbeddingModel implements AutoCloseable {

    private final String name;
    private final NDManager root;
    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final EmbeddingOptions defaults;

    private EmbeddingModel(String name, NDManager root, LlamaModel model, TextTokenizer tokenizer,
            EmbeddingOptions defaults) {
        this.name = name;
        this.root = root;
        this.model = model;
        this.tokenizer = tokenizer;
        this.defaults = defaults;
    }

    /**
     * Loads a model; a missing, truncated or malformed file fails with an {@link UncheckedIOException} whose message
     * names the file and the problem.
     */
    public static EmbeddingModel load(Path path) {
        NDManager root = NDManager.newBaseManager("PyTorch");
        try (LlamaCheckpoint checkpoint = LlamaCheckpoint.open(path)) {
            TextTokenizer tokenizer = checkpoint.hfTokenizerJson()
                    .map(HfTokenizer::fromFile)
                    .orElseGet(() -> ByteLevelBpeJson.ggufTokenizer(checkpoint.gguf().orElseThrow().metadata()));
            try {
                LlamaModel model = LlamaModel.fromTensors(checkpoint.config(), name -> read(checkpoint, name), root);
                return new EmbeddingModel(path.getFileName().toString(), root, model, tokenizer,
                        EmbeddingOptions.defaults());
            } catch (RuntimeException e) {
                tokenizer.close();
                throw e;
            }
        } catch (IOException e) {
            root.close();
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    private static ai.bellm.weights.Tensor read(LlamaCheckpoint checkpoint, String name) {
        try {
            return checkpoint.tensor(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public LlamaModel model() {
        return model;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** The settings the model is meant to be used with (BeLLM defaults for a base model). */
    public EmbeddingOptions defaults() {
        return defaults;
    }

    public SentenceEmbedder embedder(EmbeddingOptions options) {
        return new SentenceEmbedder(model, tokenizer, options);
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
        root.close();
    }
}
