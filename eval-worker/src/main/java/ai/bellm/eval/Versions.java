package ai.bellm.eval;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (or "dev" when run from classes). */
public final class Versions implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = EvalWorker.class.getPackage().getImplementationVersion();
        return new String[] {"bellm eval-worker " + (version == null ? "dev" : version)};
    }
}
