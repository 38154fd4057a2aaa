package ai.bellm.serve;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model in service. Users lease it once per batch or request, so a switch takes effect between batches and the
 * previous model is released when the last batch using it is done.
 */
public final class ModelHolder {

    /** The last load that failed (the service kept its model). */
    public record LoadFailure(String source, String message, Instant at) {
    }

    private final AtomicReference<LoadedModel> current = new AtomicReference<>();
    private final AtomicReference<LoadFailure> lastFailure = new AtomicReference<>();

    public Optional<LoadedModel> current() {
        return Optional.ofNullable(current.get());
    }

    public Optional<LoadFailure> lastFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    /** The current model, leased; empty while none is loaded. */
    public Optional<LoadedModel.Lease> lease() {
        while (true) {
            LoadedModel model = current.get();
            if (model == null) {
                return Optional.empty();
            }
            LoadedModel.Lease lease = model.tryLease();
            if (lease != null) {
                return Optional.of(lease);
            }
            // it was retired and closed between get and lease: the next read sees its successor
        }
    }

    /** Puts {@code next} in service and retires the previous model. */
    public void switchTo(LoadedModel next) {
        LoadedModel previous = current.getAndSet(next);
        if (previous != null) {
            previous.retire();
        }
    }

    public void recordFailure(LoadFailure failure) {
        lastFailure.set(failure);
    }

    /** Retires the model (at shutdown). */
    public void clear() {
        LoadedModel previous = current.getAndSet(null);
        if (previous != null) {
            previous.retire();
        }
    }
}
