package ai.bellm.chart;

import java.nio.file.Path;
import java.util.Optional;

/** The values files the chart is tested with (src/test/resources/values), or the chart's defaults. */
enum ValueSet {
    DEFAULTS(null),
    NAMESPACED_HA("namespaced-ha.yaml"),
    SCHEDULING("scheduling.yaml"),
    OPERATOR_ONLY("operator-only.yaml");

    private final String file;

    ValueSet(String file) {
        this.file = file;
    }

    Optional<Path> file() {
        return Optional.ofNullable(file).map(f -> Path.of("src", "test", "resources", "values", f));
    }
}
