package ai.bellm.cli;

import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code --version} of a worker: its jar's title and version from the manifest ("dev" when run from classes). */
public final class ManifestVersion implements IVersionProvider {

    @Spec
    CommandSpec spec;

    @Override
    public String[] getVersion() {
        Package pkg = spec.root().userObject().getClass().getPackage();
        String title = pkg.getImplementationTitle() == null ? spec.root().name() : pkg.getImplementationTitle();
        String version = pkg.getImplementationVersion() == null ? "dev" : pkg.getImplementationVersion();
        return new String[] {title + " " + version};
    }
}
