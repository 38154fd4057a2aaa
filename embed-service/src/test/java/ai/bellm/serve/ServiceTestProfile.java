package ai.bellm.serve;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * The one profile of every {@code @QuarkusTest}: Quarkus restarts the application when the profile changes, and the
 * DJL/PyTorch native library can be bound to one class loader only, so all Quarkus tests share this one.
 */
public class ServiceTestProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ServiceTestResources.class));
    }
}
