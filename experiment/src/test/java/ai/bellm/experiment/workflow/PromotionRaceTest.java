package ai.bellm.experiment.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.api.PromotionSpec;
import ai.bellm.api.PromotionStatus;
import ai.bellm.testing.MlflowServer;
import ai.bellm.testing.MlflowServerExtension;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.ModelRegistry;
import ai.bellm.tracking.ModelVersion;
import ai.bellm.tracking.TrackingConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two promotions of one model racing against a real MLflow server, as two experiments finishing together on two
 * reconcile threads do. Both read the champion before either moves it (a barrier after each one's first read), the
 * interleaving in which "the last to set the alias wins" would leave the worse model champion half of the time.
 */
@ExtendWith(MlflowServerExtension.class)
class PromotionRaceTest {

    @Test
    void twoPromotersRacingLeaveTheBetterModelChampion(MlflowServer server) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2); // the common pool may have one thread
        try (MlflowTracking mlflow = new MlflowTracking(TrackingConfig.of(server.uri()))) {
            String experiment = mlflow.experimentId("promotion-race");
            for (int round = 0; round < 3; round++) {
                PromotionSpec spec = new PromotionSpec();
                spec.registeredModel = "race-" + UUID.randomUUID();
                spec.minGain = 1.0;
                WorkflowTracking tracking = new MlflowWorkflowTracking(mlflow);
                ModelEvents events = new RecordingModelEvents();
                String incumbent = mlflow.createRun(experiment, "incumbent", Map.of(), null);
                new Promoter(tracking, events).promote(ref("incumbent"), spec, incumbent, 60.0);

                WorkflowTracking readTogether = bothReadTheChampionFirst(tracking);
                String worse = mlflow.createRun(experiment, "worse", Map.of(), null);
                String better = mlflow.createRun(experiment, "better", Map.of(), null);
                CompletableFuture<PromotionStatus> worseDone = CompletableFuture.supplyAsync(
                        () -> new Promoter(readTogether, events).promote(ref("worse"), spec, worse, 70.0), threads);
                CompletableFuture<PromotionStatus> betterDone = CompletableFuture.supplyAsync(
                        () -> new Promoter(readTogether, events).promote(ref("better"), spec, better, 75.0), threads);

                PromotionStatus betterStatus = betterDone.get(1, TimeUnit.MINUTES);
                PromotionStatus worseStatus = worseDone.get(1, TimeUnit.MINUTES);
                ModelVersion champion = tracking.versionByAlias(spec.registeredModel, ModelRegistry.CHAMPION)
                        .orElseThrow();
                assertThat(champion.runId()).as("round %d: the champion's run", round).isEqualTo(better);
                assertThat(betterStatus.promoted).isTrue();
                assertThat(betterStatus.version).isEqualTo(champion.version());
                if (!worseStatus.promoted) { // it lost the race and then the comparison with the better one
                    assertThat(worseStatus.championScore).isEqualTo(75.0);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** {@code tracking}, with each thread's first read of the champion waiting until the other thread's too. */
    private static WorkflowTracking bothReadTheChampionFirst(WorkflowTracking tracking) {
        CyclicBarrier bothRead = new CyclicBarrier(2);
        ThreadLocal<Boolean> read = ThreadLocal.withInitial(() -> false);
        return (WorkflowTracking) Proxy.newProxyInstance(WorkflowTracking.class.getClassLoader(),
                new Class<?>[] {WorkflowTracking.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(tracking, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("versionByAlias") && ModelRegistry.CHAMPION.equals(args[1])
                            && !read.get()) {
                        read.set(true);
                        bothRead.await(30, TimeUnit.SECONDS);
                    }
                    return result;
                });
    }

    private static ExperimentRef ref(String name) {
        return new ExperimentRef("race", name, UUID.randomUUID().toString(), 1);
    }
}
