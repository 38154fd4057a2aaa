package ai.bellm.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Arrays;
import java.util.List;

/** The objects of a rendered chart, each parsed by the fabric8 model into its typed class. */
record Manifest(List<HasMetadata> objects) {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static Manifest parse(String yaml) {
        return new Manifest(Arrays.stream(yaml.split("(?m)^---\\s*$"))
                .filter(Manifest::hasContent)
                .map(doc -> (HasMetadata) SERIALIZATION.unmarshal(doc))
                .toList());
    }

    /** A document of Helm's output may hold only its "# Source:" comment (a template that rendered nothing). */
    private static boolean hasContent(String doc) {
        return doc.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in " + kinds()));
    }

    List<PodSpec> podSpecs() {
        return all(Deployment.class).stream().map(d -> d.getSpec().getTemplate().getSpec()).toList();
    }

    List<String> kinds() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }
}
