package ai.bellm.local;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.events.ModelPromoted;
import ai.bellm.kafka.EmbeddedKafkaBroker;
import ai.bellm.testing.KafkaTestClient;
import ai.bellm.testing.MlflowServer;
import ai.bellm.testing.MlflowServerExtension;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.ModelRegistry;
import ai.bellm.tracking.ModelVersion;
import ai.bellm.tracking.RunData;
import ai.bellm.tracking.TrackingConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bellm run} on the tiny example through the CLI, with real worker processes (child JVMs running the workers'
 * entry points), the real embedding service application, a real MLflow server and real KRaft brokers. The names in
 * MLflow are unique per test run, so runs against a shared server do not interfere.
 */
@ExtendWith(MlflowServerExtension.class)
class LocalRunEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theTinyExampleRunsEndToEndAndALaterRunThatIsNotBetterLeavesTheChampionServing(MlflowServer server)
            throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String model = "local-run-tiny-" + id;
        Path volume = dir.resolve("volume");

        // 1. the example as it is, except for its names; Kafka is a broker of the test's, so it can read the topics
        Path tiny = example("tiny.yaml", model, "local-run-test-" + id, e -> { });
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(dir);
             MlflowTracking mlflow = new MlflowTracking(TrackingConfig.of(server.uri()))) {
            Run first = run(tiny, "first", "--volume", "bellm-data=" + volume, "--mlflow", server.uri(),
                    "--kafka", kafka.bootstrapServers(), "--texts", "6", "--parallelism", "2");
            assertThat(first.exit).as(first.output).isZero();
            assertThat(first.output).contains("Sweeping   sweeping in 2 shard(s)", "Training ", "Evaluating ",
                    "Succeeded  promoted as " + model + " version 1",
                    "Promotion    promoted: " + model + " version 1 is @champion (no champion yet)",
                    "Kafka        6 texts -> 6 embeddings on bellm.embeddings, dim 64, from " + model + "/1: OK");
            assertThat(volume.resolve("models/tiny/config.json")).exists();
            assertThat(volume.resolve("tiny/train.jsonl")).exists();

            JsonNode summary = first.summary;
            assertThat(summary.path("phase").asText()).isEqualTo("Succeeded");
            assertThat(summary.path("turning_point").asInt()).isBetween(1, 4);
            assertThat(summary.path("sweep").findValuesAsText("layers")).containsExactly("1", "2", "3", "4");
            assertThat(summary.path("training").path("steps").asLong()).isEqualTo(20);
            double score = summary.path("evaluation").path("average_spearman").asDouble();
            assertThat(summary.path("evaluation").path("tiny-dev_spearman").asDouble()).isEqualTo(score);
            assertThat(summary.path("promotion").path("promoted").asBoolean()).isTrue();
            assertThat(summary.path("promotion").path("version").asText()).isEqualTo("1");
            assertThat(summary.path("kafka").path("passed").asBoolean()).isTrue();

            // the MLflow run tree: a finished parent, one finished child per step
            JsonNode runs = summary.path("runs");
            String parent = runs.path("parent").asText();
            RunData parentRun = mlflow.getRun(parent);
            assertThat(parentRun.status()).isEqualTo("FINISHED");
            assertThat(parentRun.tags()).containsEntry("bellm.promotion.promoted", "true")
                    .containsEntry("bellm.turning_point", summary.path("turning_point").asText());
            assertThat(summary.path("mlflow_url").asText())
                    .isEqualTo(server.uri() + "/#/experiments/" + parentRun.experimentId() + "/runs/" + parent);
            List<String> children = new ArrayList<>();
            runs.path("sweep").forEach(r -> children.add(r.asText()));
            children.addAll(List.of(runs.path("train").asText(), runs.path("evaluate").asText()));
            assertThat(children).hasSize(4);
            for (String child : children) {
                RunData run = mlflow.getRun(child);
                assertThat(run.parentRunId()).isEqualTo(parent);
                assertThat(run.status()).as(run.runName()).isEqualTo("FINISHED");
            }
            assertThat(children).extracting(c -> mlflow.getRun(c).runName())
                    .containsExactly("sweep-1", "sweep-2", "train", "evaluate");

            ModelVersion champion = mlflow.registry().findByAlias(model, ModelRegistry.CHAMPION).orElseThrow();
            assertThat(champion.version()).isEqualTo("1");
            assertThat(champion.runId()).isEqualTo(runs.path("train").asText());

            ModelPromoted event = ModelPromoted.fromJson(read(kafka, RunCommand.EVENTS_TOPIC, 1).get(0).value());
            assertThat(event.model()).isEqualTo(model);
            assertThat(event.version()).isEqualTo("1");
            assertThat(event.experiment()).isEqualTo(new ModelPromoted.Experiment(RunCommand.NAMESPACE, "tiny"));

            List<JsonNode> embeddings = read(kafka, KafkaRoundTrip.OUTPUT_TOPIC, 6).stream()
                    .map(r -> parse(r.value())).toList();
            assertThat(embeddings).hasSize(6).allSatisfy(e -> {
                assertThat(e.path("model").path("name").asText()).isEqualTo(model);
                assertThat(e.path("model").path("version").asText()).isEqualTo("1");
                assertThat(e.path("embedding").size()).isEqualTo(64);
            });
        }

        // 2. the same model again, with the turning point given (no sweep) and a gain it cannot reach: not promoted;
        //    the run's own embedded broker carries the texts, and version 1 still embeds them
        Path again = example("tiny-again.yaml", model, "local-run-test-" + id, e -> {
            e.getSpec().sweep.turningPoint = 2;
            e.getSpec().promotion.minGain = 50;
        });
        Run second = run(again, "second", "--volume", "bellm-data=" + volume, "--mlflow", server.uri(),
                "--texts", "3");
        assertThat(second.exit).as(second.output).isZero();
        assertThat(second.output).contains("Training   turning point 2 given by the spec (no sweep): training",
                "Promotion    not promoted: average_spearman",
                "Kafka        3 texts -> 3 embeddings on bellm.embeddings, dim 64, from " + model + "/1: OK");
        assertThat(second.summary.path("promotion").path("promoted").asBoolean()).isFalse();
        assertThat(second.summary.path("promotion").path("champion_version").asText()).isEqualTo("1");
        assertThat(second.summary.path("runs").path("sweep")).isEmpty();
    }

    /** What one {@code bellm run} printed, its exit code and its JSON summary. */
    private record Run(int exit, String output, JsonNode summary) {
    }

    private Run run(Path experiment, String name, String... options) throws Exception {
        Path json = dir.resolve(name + "-summary.json");
        List<String> args = new ArrayList<>(List.of("run", experiment.toString(), "--state-dir",
                dir.resolve(name).toString(), "--summary-json", json.toString()));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = LocalRun.commandLine(new TestWorkers(), () -> {
            throw new IllegalStateException("the test gives every location: no checkout needed");
        }).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
        String output = out + "\n--- stderr ---\n" + err;
        return new Run(exit, output, Files.exists(json) ? JSON.readTree(json.toFile()) : JSON.createObjectNode());
    }

    /** crds/examples/FILE with unique MLflow names, changed by {@code edit}, as a file of the test. */
    private Path example(String target, String model, String mlflowExperiment, Consumer<BeLLMExperiment> edit)
            throws Exception {
        KubernetesSerialization yaml = new KubernetesSerialization();
        BeLLMExperiment experiment = yaml.unmarshal(Files.readString(
                Path.of(System.getProperty("bellm.examplesDir"), "tiny.yaml")), BeLLMExperiment.class);
        experiment.getSpec().promotion.registeredModel = model;
        experiment.getSpec().tracking.experimentName = mlflowExperiment;
        edit.accept(experiment);
        return Files.writeString(dir.resolve(target), yaml.asYaml(experiment));
    }

    /** The records of {@code topic}, once there are {@code count}: exactly that many. */
    private static List<ConsumerRecord<byte[], byte[]>> read(EmbeddedKafkaBroker kafka, String topic, int count) {
        try (KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
             KafkaTestClient.Reader reader = client.reader(topic)) {
            List<ConsumerRecord<byte[], byte[]>> records = reader.read(count, Duration.ofSeconds(30));
            assertThat(records).as(topic).hasSize(count);
            return records;
        }
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
