package ai.bellm.eval;

import ai.bellm.tracking.TrackedRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code evaluate} and {@code sweep} put into their MLflow run: settings as parameters, scores as metrics
 * (a sweep's Spearman as one metric whose step is n, so MLflow draws the degradation curve) and the result files as
 * artifacts under {@code results/}.
 */
final class ResultLogging {

    private ResultLogging() {
    }

    static void evaluation(TrackedRun run, EvaluationResult result, Path json) {
        run.logParams(params(result.model(), result.settings()));
        result.tasks().forEach((task, score) -> {
            logIfDefined(run, task + "_spearman", score.spearman(), 0);
            logIfDefined(run, task + "_pearson", score.pearson(), 0);
        });
        logIfDefined(run, "average_spearman", result.average(), 0);
        run.uploadArtifact(json, "results/" + json.getFileName());
    }

    static void sweep(TrackedRun run, SweepResult result, Path json, Path plot) {
        Map<String, String> params = params(result.model(), result.settings());
        params.put("task", result.task());
        params.put("layers", result.range().get(0) + "-" + result.range().get(1));
        params.put("shard", result.shard() == null ? "whole" : result.shard());
        params.put("max_drop", Double.toString(result.maxDrop()));
        run.logParams(params);
        for (LayerScore layer : result.layers()) {
            logIfDefined(run, "spearman", layer.spearman(), layer.n());
            logIfDefined(run, "pearson", layer.pearson(), layer.n());
        }
        if (result.turningPoint() != null && !result.turningPointProvisional()) {
            run.logMetric("turning_point", result.turningPoint(), 0);
        }
        run.uploadArtifact(json, "results/" + json.getFileName());
        if (plot != null) {
            run.uploadArtifact(plot, "results/" + plot.getFileName());
        }
    }

    private static Map<String, String> params(String model, Settings settings) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("model", model);
        params.putAll(settings.recipe().params());
        return params;
    }

    /** An undefined correlation (constant predictions) is left out rather than logged as NaN. */
    private static void logIfDefined(TrackedRun run, String key, Double value, long step) {
        if (value != null) {
            run.logMetric(key, value, step);
        }
    }
}
