package ai.bellm.local;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.experiment.workflow.StepId;
import ai.bellm.experiment.workflow.StepKey;
import ai.bellm.experiment.workflow.StepKind;
import ai.bellm.experiment.workflow.StepLaunch;
import ai.bellm.experiment.workflow.StepObservation;
import ai.bellm.experiment.workflow.StepState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local step runner with shell scripts standing in for the workers. */
class LocalStepRunnerTest {
    @TempDir
    Path dir;

    /** Runs {@code sh -c SCRIPT}, the script being the step's first argument after the command. */
    private final WorkerProcesses shell = (args, env, workDir, log) -> {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", args.get(1)).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    };
    private final List<String> notes = new ArrayList<>();

    private LocalStepRunner runner(int parallelism) {
        return new LocalStepRunner(shell, dir.resolve("steps"), "http://mlflow.test:5000", Map.of("BELLM_THREADS", "1"),
                parallelism, notes::add);
    }

    @Test
    void aFailedStepSaysItsExitCodeAndTheLastLinesOfItsLog() throws Exception {
        try (LocalStepRunner runner = runner(1)) {
            StepId id = StepId.of(StepKind.TRAIN);
            String script = "for i in $(seq 1 30); do echo step $i; done;"
                    + " echo 'bellm train: no such file: x.jsonl'; exit 3";
            runner.launch(new StepLaunch(key(id), List.of("train", script), Map.of(), "run-1", true));

            StepObservation done = await(runner, id);
            assertThat(done.state()).isEqualTo(StepState.FAILED);
            assertThat(done.runId()).isEqualTo("run-1");
            Path log = dir.resolve("steps/train/step.log");
            assertThat(done.message()).startsWith("exit code 3, last lines of " + log + ":\n")
                    .endsWith("step 30\nbellm train: no such file: x.jsonl")
                    .contains("\nstep 20\n").doesNotContain("step 19\n");
            assertThat(notes).containsExactly("train asks for GPUs (resources.gpus): ignored, it runs on this machine's"
                    + " CPU");
        }
    }

    @Test
    void stepsRunInTheirOwnDirectoryWithTheirEnvironmentAndWaitForAFreeSlot() throws Exception {
        try (LocalStepRunner runner = runner(1)) {
            StepId first = StepId.sweep(1, 2);
            StepId second = StepId.sweep(2, 2);
            String script = "echo \"$MLFLOW_TRACKING_URI $MLFLOW_RUN_ID $BELLM_BASE_MODEL $BELLM_THREADS\" > env.txt;"
                    + " date +%s%N > started; sleep 0.5; date +%s%N > ended";
            runner.launch(new StepLaunch(key(first), List.of("sweep", script), Map.of("BELLM_BASE_MODEL", "/m"), "r1",
                    false));
            runner.launch(new StepLaunch(key(second), List.of("sweep", script), Map.of(), "r2", false));
            assertThat(runner.launch(new StepLaunch(key(first), List.of("sweep", "exit 1"), Map.of(), "r3", false)).runId())
                    .as("a step launched again is the one launched before").isEqualTo("r1");

            assertThat(await(runner, first).state()).isEqualTo(StepState.SUCCEEDED);
            assertThat(await(runner, second).state()).isEqualTo(StepState.SUCCEEDED);
            Path one = dir.resolve("steps/sweep-1");
            Path two = dir.resolve("steps/sweep-2");
            assertThat(Files.readString(one.resolve("env.txt"))).isEqualTo("http://mlflow.test:5000 r1 /m 1\n");
            assertThat(Files.readString(two.resolve("env.txt"))).isEqualTo("http://mlflow.test:5000 r2  1\n");
            long firstEnded = Long.parseLong(Files.readString(one.resolve("ended")).strip());
            long secondStarted = Long.parseLong(Files.readString(two.resolve("started")).strip());
            assertThat(secondStarted).as("one slot: the second shard waits for the first").isGreaterThan(firstEnded);
            assertThat(notes).isEmpty();
        }
    }

    private static StepKey key(StepId id) {
        return new StepKey(id, "inputs-of-" + id.name(), 0);
    }

    private static StepObservation await(LocalStepRunner runner, StepId id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            StepObservation o = runner.find(key(id)).orElseThrow();
            if (o.state() != StepState.RUNNING) {
                return o;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(id + " still running");
    }
}
