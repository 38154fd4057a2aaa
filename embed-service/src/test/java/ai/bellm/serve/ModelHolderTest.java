package ai.bellm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.model.TinyModelFactory;
import java.nio.file.Path;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelHolderTest {

    @Test
    void aRetiredModelIsClosedWhenItsLastLeaseEnds(@TempDir Path tmp) throws Exception {
        ModelLoader loader = new ModelLoader(null, null, PipelineFixture.LIMITS);
        ModelHolder holder = new ModelHolder();
        assertThat(new ModelReadiness(holder).call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(holder.lease()).isEmpty();

        LoadedModel first = loader.loadLocal(TinyModelFactory.writeHfDirectory(tmp.resolve("a"), 1), "a");
        holder.switchTo(first);
        assertThat(new ModelReadiness(holder).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        LoadedModel.Lease batch = holder.lease().orElseThrow();

        LoadedModel second = loader.loadLocal(TinyModelFactory.writeHfDirectory(tmp.resolve("b"), 2), "b");
        holder.switchTo(second);
        assertThat(first.isClosed()).as("still in use by a batch").isFalse();
        batch.model().embedder().embed(java.util.List.of("the batch finishes on its model"));
        batch.close();
        assertThat(first.isClosed()).isTrue();
        try (LoadedModel.Lease next = holder.lease().orElseThrow()) {
            assertThat(next.model()).isSameAs(second);
        }
        holder.clear();
        assertThat(second.isClosed()).isTrue();
    }
}
