package ai.bellm.embed;

/** Told after every batch how many of the sentences are done. */
@FunctionalInterface
public interface Progress {

    Progress NONE = (done, total) -> { };

    void update(int done, int total);
}
