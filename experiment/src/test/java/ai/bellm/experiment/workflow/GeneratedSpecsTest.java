package ai.bellm.experiment.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.api.Phase;
import ai.bellm.recipe.Pooling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A property over generated specs, within the CRD schema's types and ranges but with free text from pools of good and
 * bad values: the workflow never throws. Each spec either has problems, which fail it at once with every problem
 * in its message, or runs through every step (steps succeed, sweeps log a curve) to Succeeded.
 */
class GeneratedSpecsTest {
    private static final int SPECS = 2000;
    /** Good values, then bad ones: each field draws a bad one with probability {@link #BAD}. */
    private static final String[][] TASKS = {{"dev=jsonl:/d.jsonl", "sts=stsb:/sts/dev.tsv", "sick=sick:/sick.txt",
            "sen=senteval:/s"}, {"no-format", "=jsonl:/d", "x=unknown:/d", "a=jsonl:"}};
    private static final String[][] LAYERS = {{null, "1-4", "2-2", "3-30"}, {"0-3", "4-1", "1-99999999999"}};
    private static final String[][] LORA_LAYERS = {{null, "0-3", "28-29"}, {"2-1", "0-99999999999"}};
    private static final String[][] PROMPTS = {{null, "{text}", "This sentence: \"{text}\" means in one word:\""},
            {"{text} and {text}"}};
    private static final String[][] METRICS = {{"average_spearman"}, {"nonexistent", "dev_kendall"}};
    private static final double BAD = 0.06;

    @Test
    void everyGeneratedSpecReachesAStatusWithoutThrowing() {
        Random random = new Random(20261204);
        int succeeded = 0;
        int refused = 0;
        for (int i = 0; i < SPECS; i++) {
            BeLLMExperimentSpec spec = generate(random);
            List<String> problems = SpecValidator.problems(spec);
            BeLLMExperimentStatus status = run(spec, random);
            assertThat(status.phase).as("spec %d: %s", i, status.message).isIn(Phase.Succeeded, Phase.Failed);
            if (problems.isEmpty()) {
                assertThat(status.phase).as("spec %d: %s", i, status.message).isEqualTo(Phase.Succeeded);
                succeeded++;
            } else {
                assertThat(status.phase).isEqualTo(Phase.Failed);
                assertThat(status.message).startsWith("invalid spec: ").contains(problems);
                assertThat(problems).allSatisfy(p -> assertThat(p).matches("[a-z][A-Za-z.]*: .+"));
                refused++;
            }
        }
        System.out.printf("generated specs: %d succeeded, %d refused%n", succeeded, refused);
        assertThat(succeeded).as("the generator reaches both sides").isGreaterThan(SPECS / 10);
        assertThat(refused).isGreaterThan(SPECS / 10);
    }

    private static BeLLMExperimentSpec generate(Random random) {
        BeLLMExperimentSpec spec = Specs.tiny("/m", "/train.jsonl", "/dev.jsonl", "reg");
        spec.data.train = List.of(pick(random, TASKS));
        spec.data.eval = random.nextBoolean() ? List.of(pick(random, TASKS))
                : List.of(pick(random, TASKS), pick(random, TASKS)); // maybe one name twice
        spec.evaluation.tasks = random.nextBoolean() ? null : List.of(pick(random, TASKS));
        spec.sweep.layers = pick(random, LAYERS);
        spec.sweep.shards = 1 + random.nextInt(random.nextBoolean() ? 4 : 64);
        spec.sweep.maxDrop = random.nextDouble() * 100;
        spec.sweep.turningPoint = random.nextInt(4) == 0 ? 1 + random.nextInt(40) : null;
        spec.training.lora.layers = pick(random, LORA_LAYERS);
        spec.training.prompt = pick(random, PROMPTS);
        spec.training.pooling = random.nextBoolean() ? null : Pooling.values()[random.nextInt(Pooling.values().length)];
        spec.training.maxTokens = random.nextBoolean() ? null : 8 + random.nextInt(1000);
        spec.training.maxSteps = random.nextBoolean() ? null : 1 + random.nextInt(10_000);
        spec.resources.gpus = random.nextInt(3);
        spec.promotion.metric = pick(random, METRICS);
        spec.promotion.minGain = random.nextDouble() * 10;
        return spec;
    }

    /** Advances the workflow, finishing every running step (a sweep shard logs a curve, evaluations a score each). */
    private static BeLLMExperimentStatus run(BeLLMExperimentSpec spec, Random random) {
        FakeRunner runner = new FakeRunner();
        FakeTracking tracking = new FakeTracking();
        ExperimentWorkflow workflow = new ExperimentWorkflow(tracking, runner, new RecordingModelEvents());
        BeLLMExperimentStatus status = new BeLLMExperimentStatus();
        ExperimentRef ref = new ExperimentRef("ns", "generated", "uid", 1);
        for (int round = 0; round < 10 && (status.phase == null || !status.phase.terminal()); round++) {
            workflow.advance(ref, spec, status);
            for (StepLaunch launch : new ArrayList<>(runner.launches)) {
                if (runner.steps.get(launch.key()).state() != StepState.RUNNING) {
                    continue;
                }
                if (launch.id().kind() == StepKind.SWEEP) {
                    tracking.sweepPairs.put(launch.runId(),
                            ShardedSweep.random(launch.id().shard(), launch.id().shards(), 4, random));
                }
                if (launch.id().kind() == StepKind.EVALUATE) {
                    Map<String, Double> scores = new HashMap<>();
                    Arrays.stream(METRICS[0]).forEach(m -> scores.put(m, random.nextDouble() * 100));
                    tracking.metrics.put(launch.runId(), scores);
                }
                runner.finish(launch.id(), true, null);
            }
        }
        return status;
    }

    private static String pick(Random random, String[][] goodAndBad) {
        String[] pool = goodAndBad[random.nextDouble() < BAD ? 1 : 0];
        return pool[random.nextInt(pool.length)];
    }
}
