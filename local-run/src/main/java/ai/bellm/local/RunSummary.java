package ai.bellm.local;

import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.api.Phase;
import ai.bellm.api.SweepPoint;
import ai.bellm.data.TaskSpec;
import ai.bellm.experiment.workflow.StepCommands;
import ai.bellm.tracking.MetricPoint;
import ai.bellm.tracking.MlflowTracking;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a local run found, for the user: the sweep curve and turning point, the training run, the evaluation scores,
 * the promotion decision, the MLflow parent run and the Kafka check; printed as text and optionally as JSON.
 *
 * @param evaluation Spearman x100 per evaluation task, then the promotion metric
 */
record RunSummary(String experiment, String registeredModel, BeLLMExperimentStatus status, String mlflowUrl,
                  Training training, Map<String, Double> evaluation, Path stateDir) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The training run's length and last loss, if it logged any. */
    record Training(String runId, Long steps, Double finalLoss) {
    }

    static RunSummary collect(String experiment, BeLLMExperimentSpec spec, BeLLMExperimentStatus status,
                              MlflowTracking mlflow, String mlflowUri, Path stateDir) {
        String url = status.runs.parent == null ? null : mlflowUri + "/#/experiments/"
                + mlflow.getRun(status.runs.parent).experimentId() + "/runs/" + status.runs.parent;
        Training training = null;
        if (status.runs.train != null) {
            Optional<MetricPoint> last = mlflow.metricHistory(status.runs.train, "loss").stream()
                    .max(Comparator.comparingLong(MetricPoint::step));
            training = new Training(status.runs.train, last.map(MetricPoint::step).orElse(null),
                    last.map(MetricPoint::value).orElse(null));
        }
        Map<String, Double> evaluation = new LinkedHashMap<>();
        if (status.runs.evaluate != null) {
            for (String task : new StepCommands(spec).evaluationTasks()) {
                String key = TaskSpec.parse(task).name() + "_spearman";
                lastValue(mlflow, status.runs.evaluate, key).ifPresent(v -> evaluation.put(key, v));
            }
            lastValue(mlflow, status.runs.evaluate, spec.promotion.metric)
                    .ifPresent(v -> evaluation.put(spec.promotion.metric, v));
        }
        return new RunSummary(experiment, spec.promotion.registeredModel, status, url, training, evaluation, stateDir);
    }

    /** Prints the summary and writes it as JSON to {@code json} when given. */
    void finish(KafkaRoundTrip.Result kafka, long seconds, PrintWriter out, Path json) throws IOException {
        print(kafka, seconds, out);
        if (json != null) {
            JSON.writeValue(json.toFile(), toJson(kafka, seconds));
        }
    }

    ObjectNode toJson(KafkaRoundTrip.Result kafka, long seconds) {
        ObjectNode root = JSON.createObjectNode().put("experiment", experiment).put("phase", status.phase.name())
                .put("message", status.message).put("seconds", seconds).put("state_dir", stateDir.toString());
        root.putPOJO("turning_point", status.turningPoint);
        root.putPOJO("drop_observed", status.dropObserved);
        root.putPOJO("bidirectional_from", status.bidirectionalFrom);
        ArrayNode sweep = root.putArray("sweep");
        if (status.sweep != null) {
            status.sweep.forEach(p -> sweep.addObject().put("layers", p.layers).put("spearman", p.spearman));
        }
        ObjectNode runs = root.putObject("runs").put("parent", status.runs.parent).put("train", status.runs.train)
                .put("evaluate", status.runs.evaluate);
        status.runs.sweep.forEach(runs.putArray("sweep")::add);
        root.put("mlflow_url", mlflowUrl);
        if (training != null) {
            root.putObject("training").put("run_id", training.runId()).putPOJO("steps", training.steps())
                    .putPOJO("final_loss", training.finalLoss());
        }
        ObjectNode scores = root.putObject("evaluation");
        evaluation.forEach(scores::put);
        if (status.promotion != null) {
            root.putObject("promotion").put("promoted", status.promotion.promoted)
                    .put("reason", status.promotion.reason).put("version", status.promotion.version)
                    .put("champion_version", status.promotion.championVersion)
                    .putPOJO("champion_score", status.promotion.championScore).putPOJO("score", status.promotion.score);
        }
        if (kafka != null) {
            ObjectNode k = root.putObject("kafka").put("sent", kafka.sent()).put("received", kafka.received())
                    .put("dim", kafka.dim()).put("expected", kafka.expected()).put("passed", kafka.passed());
            kafka.models().forEach(k.putArray("models")::add);
        }
        return root;
    }

    private void print(KafkaRoundTrip.Result kafka, long seconds, PrintWriter out) {
        out.println();
        out.printf("== %s: %s in %s ==%n", experiment, status.phase, StepProgress.clock(seconds));
        if (status.phase == Phase.Failed) {
            out.println("Failure      " + status.message);
        }
        if (status.sweep != null && !status.sweep.isEmpty()) {
            out.printf("Sweep        turning point %d of %d layers (%s)%s%n",
                    status.turningPoint, status.sweep.get(status.sweep.size() - 1).layers,
                    Boolean.TRUE.equals(status.dropObserved) ? "a drop after it was observed" : "no drop observed",
                    status.bidirectionalFrom == null ? ""
                            : "; layers " + status.bidirectionalFrom + ".. bidirectional in training");
            out.println("             layers    " + row(status.sweep,
                    p -> String.format(Locale.ROOT, "%6d", p.layers)));
            out.println("             spearman  " + row(status.sweep, p -> String.format(Locale.ROOT, "%6.1f",
                    p.spearman)));
        } else if (status.turningPoint != null) {
            out.printf("Sweep        skipped: turning point %d given by the spec%n", status.turningPoint);
        }
        if (training != null) {
            out.printf("Training     MLflow run %s%s%n", training.runId(), training.steps() == null ? ""
                    : String.format(Locale.ROOT, ": %d steps, final loss %.4f", training.steps(),
                            training.finalLoss()));
        }
        if (!evaluation.isEmpty()) {
            StringBuilder scores = new StringBuilder();
            evaluation.forEach((k, v) -> scores.append(String.format(Locale.ROOT, "%s %.2f   ", k, v)));
            out.println("Evaluation   " + scores.toString().strip());
        }
        if (status.promotion != null) {
            out.println("Promotion    " + (status.promotion.promoted
                    ? "promoted: " + registeredModel + " version " + status.promotion.version + " is @champion ("
                    + status.promotion.reason + ")"
                    : "not promoted: " + status.promotion.reason));
        }
        if (mlflowUrl != null) {
            out.println("MLflow       " + mlflowUrl);
        }
        if (kafka != null) {
            out.printf("Kafka        %d texts -> %d embeddings on %s, dim %d, from %s: %s%n", kafka.sent(),
                    kafka.received(), KafkaRoundTrip.OUTPUT_TOPIC, kafka.dim(), String.join(", ", kafka.models()),
                    kafka.passed() ? "OK" : "FAILED, expected every one from " + kafka.expected());
        }
        out.println("Logs         " + stateDir.resolve("steps") + " (one directory per step)");
        out.flush();
    }

    private static String row(List<SweepPoint> points, Function<SweepPoint, String> cell) {
        StringBuilder row = new StringBuilder();
        points.forEach(p -> row.append(cell.apply(p)));
        return row.toString();
    }

    private static Optional<Double> lastValue(MlflowTracking mlflow, String runId, String key) {
        return mlflow.metricHistory(runId, key).stream().max(Comparator.comparingLong(MetricPoint::timestamp))
                .map(MetricPoint::value);
    }
}
