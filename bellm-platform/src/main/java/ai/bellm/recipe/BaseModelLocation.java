package ai.bellm.recipe;

/**
 * Where a trained model package finds its base weights when they are not at the path recorded in the package: the
 * workflow sets this variable for the steps that load a package, the model engine reads it.
 */
public final class BaseModelLocation {

    /** Environment variable naming a package's base model. */
    public static final String ENV = "BELLM_BASE_MODEL";

    private BaseModelLocation() {
    }
}
