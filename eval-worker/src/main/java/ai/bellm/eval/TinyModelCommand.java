package ai.bellm.eval;

import ai.bellm.model.TinyModelFactory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bellm tiny-model}: a random 4-layer model for smoke tests and the tiny example, without a download. */
@Command(name = "tiny-model", mixinStandardHelpOptions = true,
        description = "Write a random 4-layer LLaMA model (hidden 64, byte-level tokenizer) as a Hugging Face"
                + " directory: config.json, model.safetensors, tokenizer.json. The same seed gives the same weights.")
final class TinyModelCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write (created).")
    Path out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "7", description = "Weight seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        System.out.println(TinyModelFactory.writeHfDirectory(out, seed));
        return 0;
    }
}
