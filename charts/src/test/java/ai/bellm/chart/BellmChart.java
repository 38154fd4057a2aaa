package ai.bellm.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.Map;

/** The chart under charts/bellm, linted, rendered and installed by Helm's own library (helm-java). */
final class BellmChart {
    /** Tests run in the module directory, charts/. */
    static final Path DIR = Path.of("bellm");
    static final Path CRD = DIR.resolve("crds").resolve("bellmexperiments.bellm.ai-v1.yml");

    private final Helm helm = new Helm(DIR);

    LintResult lint() {
        return helm.lint().strict().call();
    }

    /**
     * {@code helm template} of a release into {@code namespace}: the value set's file, then {@code sets} as
     * {@code --set} (e.g. {@code operator.watchNamespaces[0]=team}). Helm's default capabilities apply.
     */
    Manifest template(String release, String namespace, ValueSet values, Map<String, String> sets) {
        TemplateCommand command = helm.template().withName(release).withNamespace(namespace);
        values.file().ifPresent(command::withValuesFile);
        sets.forEach(command::set);
        return Manifest.parse(command.call());
    }

    /** {@code helm install} into the cluster of {@code kubeconfig}, rendered with that cluster's capabilities. */
    Release install(Path kubeconfig, String release, String namespace, ValueSet values, Map<String, String> sets) {
        InstallCommand command = helm.install().withKubeConfig(kubeconfig).withName(release).withNamespace(namespace);
        values.file().ifPresent(command::withValuesFile);
        sets.forEach(command::set);
        return command.call();
    }
}
