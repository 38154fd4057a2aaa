package ai.bellm.train;

import static ai.bellm.train.TrainFixtures.train;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.bellm.testing.JavaProcess;
import ai.bellm.testing.MlflowServer;
import ai.bellm.testing.MlflowServerExtension;
import ai.bellm.tracking.ArtifactFile;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.TrackedRun;
import ai.bellm.tracking.TrackingConfig;
import ai.bellm.train.TrainFixtures.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints survive what happens to processes and disks: a kill, then a resume; a new process of the same MLflow
 * run with none of the old one's files (a replaced pod); a full disk.
 */
@ExtendWith(MlflowServerExtension.class)
class CheckpointResumeTest {

    @TempDir
    static Path shared;
    static Path model;
    static Path data;

    @BeforeAll
    static void fixtures() throws IOException {
        model = TrainFixtures.tinyModel(shared.resolve("tiny"));
        data = TrainFixtures.stsb(shared.resolve("train.tsv"), 64, 3);
    }

    /** Dropout on, so that a resumed run must also redraw the same masks. */
    private static List<String> args(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("--model", model.toString(), "--train", "sts=stsb:" + data,
                "--out", out.toString(), "--bidirectional-from", "2", "--lora-rank", "4", "--lora-dropout", "0.1",
                "--batch-size", "8", "--grad-accumulation", "2", "--lr", "5e-4",
                "--warmup-steps", "5", "--seed", "11", "--log-every", "1000", "--no-frozen-layer-cache"));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void aKilledRunResumesAndEndsWithTheWeightsOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
        List<String> common = List.of("--max-steps", "40", "--checkpoint-every", "4", "--full-tune-layers", "1");
        Run uninterrupted = train(withExtra(args(dir.resolve("straight")), common));
        assertThat(uninterrupted.exit()).as(uninterrupted.err()).isZero();

        Path out = dir.resolve("killed");
        List<String> cli = new ArrayList<>(List.of("train"));
        cli.addAll(withExtra(args(out), common));
        Process process = JavaProcess.start(TrainingWorker.class, Map.of(), dir.resolve("killed.log"), cli);
        long killedAt = waitForCheckpoint(process, out.resolve("checkpoints"), Duration.ofSeconds(120));
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(killedAt).as(Files.readString(dir.resolve("killed.log"))).isBetween(4L, 36L);

        Run resumed = train(withExtra(args(out), common));
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.err()).containsPattern("resuming from the checkpoint of step \\d+");
        TrainCommandTest.assertClose(TrainCommandTest.weights(out), TrainCommandTest.weights(dir.resolve("straight")),
                1e-5f);
    }

    /** A training pod's emptyDir dies with it: the Job's next pod has the same run and an empty checkpoint dir. */
    @Test
    void aNewProcessOfTheSameRunWithAnEmptyCheckpointDirResumesFromTheRunsCopy(MlflowServer server,
            @TempDir Path dir) throws Exception {
        List<String> common = List.of("--max-steps", "24", "--checkpoint-every", "4", "--keep-checkpoints", "2");
        Run uninterrupted = train(withExtra(args(dir.resolve("straight")), common));
        assertThat(uninterrupted.exit()).as(uninterrupted.err()).isZero();

        try (MlflowTracking tracking = new MlflowTracking(TrackingConfig.of(server.uri()))) {
            TrackedRun run = tracking.startRun("checkpoint-resume-test", "train", Map.of());
            Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", server.uri(), "MLFLOW_RUN_ID", run.runId());
            String copies = run.artifactUri() + "/" + CheckpointMirror.ARTIFACTS;
            List<String> cli = new ArrayList<>(List.of("train"));
            cli.addAll(withExtra(args(dir.resolve("first-pod")), common));
            Process first = JavaProcess.start(TrainingWorker.class, env, dir.resolve("first-pod.log"), cli);
            awaitArtifact(first, tracking, copies, CheckpointMirror.LATEST, Duration.ofSeconds(120));
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

            cli = new ArrayList<>(List.of("train"));
            cli.addAll(withExtra(args(dir.resolve("second-pod")), common));
            Path log = dir.resolve("second-pod.log");
            int exit = JavaProcess.run(TrainingWorker.class, env, log, cli, 180);
            String err = Files.readString(log);
            assertThat(exit).as(err).isZero();
            Matcher resumed = Pattern.compile("checkpoint step-0*(\\d+) downloaded from run " + run.runId())
                    .matcher(err);
            assertThat(resumed.find()).as(err).isTrue();
            assertThat(Long.parseLong(resumed.group(1))).as("the first process was killed mid-run").isLessThan(24);
            assertThat(err).contains("resuming from the checkpoint of step " + resumed.group(1));
            TrainCommandTest.assertClose(TrainCommandTest.weights(dir.resolve("second-pod")),
                    TrainCommandTest.weights(dir.resolve("straight")), 1e-5f);
            // the last checkpoint is current, and no more than --keep-checkpoints copies are kept
            assertThat(tracking.artifacts().list(copies)).extracting(ArtifactFile::path)
                    .containsExactlyInAnyOrder(CheckpointMirror.LATEST, "step-00000020", "step-00000024");
            Path marker = dir.resolve("latest.json");
            tracking.artifacts().downloadFile(copies + "/" + CheckpointMirror.LATEST, marker);
            assertThat(Files.readString(marker)).contains("step-00000024");
        }
    }

    @Test
    void aFullDiskFailsTheCheckpointClearlyAndLeavesThePreviousOneIntact(@TempDir Path dir) throws Exception {
        Path disk = Files.createDirectories(dir.resolve("small-disk"));
        // a real full disk: a tmpfs big enough for one checkpoint, not for two (this needs root, as in CI)
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", disk.toString()) == 0,
                "cannot mount a tmpfs here (not root?): the full-disk test needs one");
        try {
            Run run = train(withExtra(args(dir.resolve("pkg"), "--checkpoint-dir", disk.toString()),
                    List.of("--max-steps", "8", "--checkpoint-every", "4", "--keep-checkpoints", "1")));
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("writing the checkpoint of step 8").contains("earlier checkpoints are untouched");
            Optional<Checkpoint> kept = Checkpoint.latest(disk);
            assertThat(kept).isPresent();
            assertThat(kept.get().step()).isEqualTo(4);
            assertThat(kept.get().trainable()).isNotEmpty();
        } finally {
            // lazy: the checkpoint files read above may stay memory-mapped until a GC
            run("umount", "-l", disk.toString());
        }
    }

    private static List<String> withExtra(List<String> args, List<String> extra) {
        List<String> all = new ArrayList<>(args);
        all.addAll(extra);
        return all;
    }

    /** Polls until a checkpoint exists; returns its step. Fails if the process ends first. */
    private static long waitForCheckpoint(Process process, Path dir, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Checkpoint> latest = Checkpoint.latest(dir);
            if (latest.isPresent()) {
                return latest.get().step();
            }
            assertThat(process.isAlive()).as("training process ended before its first checkpoint").isTrue();
            Thread.sleep(5);
        }
        throw new AssertionError("no checkpoint within " + timeout);
    }

    /** Polls until {@code name} is listed in {@code dirUri}. Fails if the process ends first. */
    private static void awaitArtifact(Process process, MlflowTracking tracking, String dirUri, String name,
            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (tracking.artifacts().list(dirUri).stream().anyMatch(f -> f.path().equals(name))) {
                return;
            }
            assertThat(process.isAlive()).as("training process ended before " + name + " was uploaded").isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("no " + name + " in " + dirUri + " within " + timeout);
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

}
