package ai.bellm.eval;

import ai.bellm.cli.BidirectionalOption;
import ai.bellm.cli.ProgressReporter;
import ai.bellm.cli.TextFiles;
import ai.bellm.embed.EmbeddingModel;
import ai.bellm.embed.EmbeddingOptions;
import ai.bellm.embed.Progress;
import ai.bellm.embed.SentenceEmbedder;
import ai.bellm.metrics.Vectors;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bellm embed}: embeddings of the given texts as JSON lines, or the cosine similarity of two texts. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Print one JSON object per text with its embedding (or, with --cosine, the cosine similarity of"
                + " the first two texts).")
final class EmbedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EmbeddingSettings settings;

    @Mixin
    BidirectionalOption bidirectional;

    @Option(names = "--normalize", description = "Scale embeddings to unit length.")
    boolean normalize;

    @Option(names = "--cosine", description = "Print only the cosine similarity of the first two texts.")
    boolean cosine;

    @Option(names = "--input", paramLabel = "FILE", description = "Read texts from FILE, one per line (after TEXT...).")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the JSON lines to FILE instead of stdout.")
    Path output;

    @Option(names = "--with-ids", description = "Add the model's input token ids to each JSON line.")
    boolean withIds;

    @Option(names = "--stats", description = "Print the throughput (sentences/s) on stderr.")
    boolean stats;

    @Option(names = "--torch-profile", paramLabel = "FILE",
            description = "Record PyTorch's own profile of the embedding (every op, with its input shapes) in FILE, "
                    + "a Chrome trace; bench/op-profile.sh sums it up per op.")
    Path torchProfile;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "Texts to embed.")
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<String> texts = new ArrayList<>(arguments);
        if (input != null) {
            texts.addAll(TextFiles.readLines(input));
        }
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no text to embed: give TEXT arguments or --input FILE");
        }
        if (cosine && texts.size() < 2) {
            throw new IllegalArgumentException("--cosine needs two texts, got " + texts.size());
        }
        try (EmbeddingModel loaded = settings.load();
                PrintWriter out = output == null ? spec.commandLine().getOut() : TextFiles.writer(output)) {
            EmbeddingOptions options = settings.options(loaded, bidirectional).withNormalize(normalize);
            SentenceEmbedder embedder = loaded.embedder(options);
            long start = System.nanoTime();
            // a progress display only for work of several batches
            Progress progress = texts.size() > settings.batchSize ? ProgressReporter.forStderr("embed") : Progress.NONE;
            float[][] vectors = torchProfile == null ? embedder.embed(texts, progress)
                    : profiled(() -> embedder.embed(texts, progress));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (stats) {
                System.err.printf("embedded %d texts in %.2f s: %.2f sentences/s (batch %d)%n",
                        texts.size(), seconds, texts.size() / seconds, settings.batchSize);
            }
            if (cosine) {
                out.printf("%.6f%n", Vectors.cosine(vectors[0], vectors[1]));
            } else {
                ObjectMapper json = new ObjectMapper();
                for (int i = 0; i < texts.size(); i++) {
                    ObjectNode line = json.createObjectNode();
                    line.put("text", texts.get(i));
                    line.put("dim", vectors[i].length);
                    if (withIds) {
                        var ids = line.putArray("ids");
                        for (int id : embedder.tokenize(texts.get(i))) {
                            ids.add(id);
                        }
                    }
                    var values = line.putArray("embedding");
                    for (float v : vectors[i]) {
                        values.add(v);
                    }
                    out.println(line);
                }
            }
            out.flush();
        }
        return 0;
    }

    private <T> T profiled(Supplier<T> work) {
        JniUtils.startProfile(false, true, false);
        try {
            return work.get();
        } finally {
            JniUtils.stopProfile(torchProfile.toString());
        }
    }
}
