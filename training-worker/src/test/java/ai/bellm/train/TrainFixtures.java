package ai.bellm.train;

import ai.bellm.model.TinyModelFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import picocli.CommandLine;

/** A tiny model, invented STS data and a way to run {@code bellm train} in-process. */
final class TrainFixtures {

    private static final String[] SUBJECTS = {"A man", "A woman", "The child", "Two dogs", "An old cat", "The band",
            "A chef", "The pilot"};
    private static final String[] VERBS = {"is playing", "is watching", "is eating", "carries", "paints", "sells"};
    private static final String[] OBJECTS = {"a guitar.", "the ball.", "some bread.", "a red box.", "the fence.",
            "a kite."};

    private TrainFixtures() {
    }

    record Run(int exit, String out, String err) {
    }

    static Run train(String... args) {
        return train(List.of(args));
    }

    static Run train(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TrainingWorker.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("train"));
        all.addAll(args);
        int code = cli.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    static Path tinyModel(Path dir) throws IOException {
        return TinyModelFactory.writeHfDirectory(dir, 17);
    }

    /**
     * {@code count} invented pairs in STS-B's tab-separated layout; the score grows with what the sentences share,
     * so there is something to learn.
     */
    static Path stsb(Path file, int count, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int s = random.nextInt(SUBJECTS.length);
            int v = random.nextInt(VERBS.length);
            int o = random.nextInt(OBJECTS.length);
            int s2 = random.nextBoolean() ? s : random.nextInt(SUBJECTS.length);
            int v2 = random.nextBoolean() ? v : random.nextInt(VERBS.length);
            int o2 = random.nextBoolean() ? o : random.nextInt(OBJECTS.length);
            double score = 5.0 * ((s == s2 ? 1 : 0) + (v == v2 ? 1 : 0) + (o == o2 ? 1 : 0)) / 3;
            lines.add(String.join("\t", "main-captions", "MSRvid", "2012test", String.format("%04d", i),
                    String.format(java.util.Locale.ROOT, "%.3f", score),
                    SUBJECTS[s] + " " + VERBS[v] + " " + OBJECTS[o], SUBJECTS[s2] + " " + VERBS[v2] + " " + OBJECTS[o2]));
        }
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
        return file;
    }
}
