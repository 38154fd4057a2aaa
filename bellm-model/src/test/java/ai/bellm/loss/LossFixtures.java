package ai.bellm.loss;

/** The inputs of bench/python/angle_reference.py, which computed the reference values the tests compare with. */
final class LossFixtures {

    static final double TAU = 20.0;

    /** Scored pairs, B = 4, D = 4; pairs 1 and 2 tie. */
    static final double[][] U = {{0.9, 0.1, -0.3, 0.4}, {0.2, 0.8, 0.5, -0.1}, {-0.5, 0.3, 0.7, 0.2},
        {0.4, -0.6, 0.2, 0.9}};
    static final double[][] V = {{0.8, 0.3, -0.2, 0.5}, {0.6, -0.4, 0.1, 0.3}, {0.1, 0.9, -0.6, 0.4},
        {0.5, -0.2, 0.6, 0.7}};
    static final double[] Y = {4.6, 2.1, 2.1, 4.0};
    static final ScoreRange RANGE = new ScoreRange(0, 5);

    /** Positive pairs / triplets, B = 3, D = 3. */
    static final double[][] A = {{1.0, 0.2, -0.1}, {0.3, 0.9, 0.4}, {-0.2, 0.5, 1.1}};
    static final double[][] P = {{0.8, 0.1, 0.2}, {0.1, 1.0, 0.1}, {0.4, 0.2, 0.9}};
    static final double[][] N = {{0.9, 0.4, -0.3}, {-0.7, 0.6, 0.2}, {0.3, -0.8, 0.5}};

    // printed by `python bench/python/angle_reference.py` (numpy 2 in the bench venv), pasted verbatim
    static final double COSENT = 0.10390841760678873;
    static final double ANGLE = 0.37019638417688516;
    static final double INFONCE_SCORED = 0.2577202659453004;
    static final double INFONCE_PAIRS = 0.001298523184208496;
    static final double INFONCE_TRIPLETS = 0.29799757692038753;
    static final double TOTAL_SCORED_DEFAULT = 0.3690326112356268;

    private LossFixtures() {
    }
}
