package ai.bellm.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.api.Phase;
import ai.bellm.api.ResourcesSpec;
import ai.bellm.api.TrackingSpec;
import ai.bellm.events.ExperimentOutcome;
import ai.bellm.events.ModelPromoted;
import ai.bellm.kafka.EmbeddedKafkaBroker;
import ai.bellm.testing.EmbeddedKafkaExtension;
import ai.bellm.testing.KafkaTestClient;
import ai.bellm.testing.KubeApiServer;
import ai.bellm.testing.KubeApiServerExtension;
import ai.bellm.testing.MlflowServer;
import ai.bellm.testing.MlflowServerExtension;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.ModelRegistry;
import ai.bellm.tracking.ModelVersion;
import ai.bellm.tracking.RunData;
import ai.bellm.tracking.TrackingConfig;
import ai.bellm.tracking.TrackingTags;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator against a real kube-apiserver + etcd and a real MLflow server; the steps are the real workers run by
 * {@link TestJobRunner} on a tiny model.
 */
@ExtendWith({KubeApiServerExtension.class, MlflowServerExtension.class, EmbeddedKafkaExtension.class})
class OperatorEndToEndTest {
    private EmbeddedKafkaBroker kafka;
    private OperatorFixture fixture;
    private TinyExperiment tiny;
    private MlflowTracking mlflow;
    private String registeredModel;

    @BeforeEach
    void start(KubeApiServer server, MlflowServer mlflowServer, EmbeddedKafkaBroker broker, @TempDir Path dir)
            throws Exception {
        kafka = broker;
        tiny = new TinyExperiment(dir);
        fixture = new OperatorFixture(server, mlflowServer.uri(), kafka.bootstrapServers(), dir.resolve("pods"));
        mlflow = new MlflowTracking(TrackingConfig.of(mlflowServer.uri()));
        registeredModel = "tiny-" + fixture.namespace;
    }

    @AfterEach
    void stop() {
        fixture.close();
        mlflow.close();
    }

    @Test
    void experimentsRunThroughEveryPhaseAndOnlyAGoodEnoughOneIsPromoted() throws Exception {
        fixture.create(tiny.resource("first", registeredModel));
        BeLLMExperiment first = fixture.awaitDone("first");
        BeLLMExperimentStatus status = first.getStatus();
        assertThat(status.phase).as(status.message).isEqualTo(Phase.Succeeded);
        assertThat(status.observedGeneration).isEqualTo(1L);
        assertThat(status.turningPoint).isBetween(1, 4);
        assertThat(status.sweep).extracting(p -> p.layers).containsExactly(1, 2, 3, 4);
        assertThat(status.promotion.promoted).isTrue();
        assertThat(status.modelVersion).isEqualTo("1");
        assertThat(status.conditions).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThat(fixture.eventReasons("first")).contains("Sweeping", "Training", "Evaluating", "Succeeded");

        // the MLflow run tree: a finished parent, one finished child per step
        assertThat(status.steps).extracting(t -> t.step).containsExactly("sweep-1", "sweep-2", "turning-point",
                "train", "evaluate", "promote");
        assertThat(status.steps).allSatisfy(t -> {
            assertThat(Instant.parse(t.finishedAt)).isAfterOrEqualTo(Instant.parse(t.startedAt));
            assertThat(t.seconds).isNotNegative();
        });
        RunData parent = mlflow.getRun(status.runs.parent);
        assertThat(parent.status()).isEqualTo("FINISHED");
        assertThat(parent.tags()).containsEntry("bellm.promotion.promoted", "true");
        List<String> children = new java.util.ArrayList<>(status.runs.sweep);
        children.addAll(List.of(status.runs.train, status.runs.evaluate));
        for (String child : children) {
            RunData run = mlflow.getRun(child);
            assertThat(run.parentRunId()).isEqualTo(status.runs.parent);
            assertThat(run.status()).isEqualTo("FINISHED");
        }
        assertThat(mlflow.metricHistory(status.runs.evaluate, "average_spearman")).isNotEmpty();

        ModelVersion champion = mlflow.registry().findByAlias(registeredModel, ModelRegistry.CHAMPION).orElseThrow();
        assertThat(champion.version()).isEqualTo("1");
        assertThat(champion.runId()).isEqualTo(status.runs.train);
        assertThat(champion.tags()).containsKey("bellm.score.average_spearman");
        ModelPromoted event = ModelPromoted.fromJson(events(1).get(0));
        assertThat(event.model()).isEqualTo(registeredModel);
        assertThat(event.version()).isEqualTo("1");
        assertThat(event.uri()).isEqualTo("models:/" + registeredModel + "/1");
        assertThat(event.metrics()).containsEntry("average_spearman", status.score);
        assertThat(event.experiment()).isEqualTo(new ModelPromoted.Experiment(fixture.namespace, "first"));

        // the same recipe scores the same: at least as good with minGain 0, so it becomes champion; Kafka is down
        // when it gets there, so it waits after its evaluation, says why, and finishes once Kafka is back
        kafka.stop();
        fixture.create(tiny.resource("second", registeredModel));
        BeLLMExperiment waiting = fixture.awaitPhase("second", p -> p == Phase.Evaluating, Duration.ofMinutes(8));
        for (int i = 0; i < 1500 && !kafkaUnavailable(waiting); i++) {
            Thread.sleep(200);
            waiting = fixture.get("second");
        }
        assertThat(kafkaUnavailable(waiting)).as("Ready=False KafkaUnavailable").isTrue();
        assertThat(waiting.getStatus().phase).isEqualTo(Phase.Evaluating);
        kafka.start();
        BeLLMExperiment second = fixture.awaitDone("second");
        assertThat(second.getStatus().promotion.promoted).as(second.getStatus().message).isTrue();
        assertThat(second.getStatus().modelVersion).isEqualTo("2");
        assertThat(second.getStatus().promotion.championVersion).isEqualTo("1");
        assertThat(mlflow.registry().findByAlias(registeredModel, ModelRegistry.CHAMPION).orElseThrow().version())
                .isEqualTo("2");
        assertThat(mlflow.registry().findByAlias(registeredModel, ModelRegistry.PREVIOUS).orElseThrow().version())
                .isEqualTo("1");

        // but not by 50 points: not promoted, and the champion stays
        BeLLMExperiment worse = tiny.resource("third", registeredModel);
        worse.getSpec().promotion.minGain = 50;
        fixture.create(worse);
        BeLLMExperimentStatus third = fixture.awaitDone("third").getStatus();
        assertThat(third.phase).isEqualTo(Phase.Succeeded);
        assertThat(third.promotion.promoted).isFalse();
        assertThat(third.message).startsWith("not promoted: average_spearman");
        assertThat(third.modelVersion).isNull();
        assertThat(mlflow.registry().findByAlias(registeredModel, ModelRegistry.CHAMPION).orElseThrow().version())
                .isEqualTo("2");
        List<byte[]> events = events(3);
        assertThat(events.subList(0, 2)).extracting(e -> ModelPromoted.fromJson(e).version()).containsExactly("1", "2");
        ExperimentOutcome notPromoted = ExperimentOutcome.fromJson(events.get(2));
        assertThat(notPromoted.type()).isEqualTo(ExperimentOutcome.NOT_PROMOTED);
        assertThat(notPromoted.model()).isEqualTo(registeredModel);
        assertThat(notPromoted.championVersion()).isEqualTo("2");
        assertThat(notPromoted.reason()).isEqualTo(third.promotion.reason);
        assertThat(notPromoted.metrics()).containsEntry("average_spearman", third.score);
        assertThat(notPromoted.experiment()).isEqualTo(new ModelPromoted.Experiment(fixture.namespace, "third"));
    }

    private static boolean kafkaUnavailable(BeLLMExperiment experiment) {
        return experiment.getStatus().conditions.stream().anyMatch(c -> "Ready".equals(c.getType())
                && "False".equals(c.getStatus()) && "KafkaUnavailable".equals(c.getReason()));
    }

    /** The events on the fixture's topic (their JSON), once there are {@code count}. */
    private List<byte[]> events(int count) {
        try (KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
             KafkaTestClient.Reader reader = client.reader(fixture.topic)) {
            return reader.read(count, Duration.ofSeconds(30)).stream().map(r -> r.value()).toList();
        }
    }

    @Test
    void anOperatorRestartedDuringTheSweepFinishesWithoutDuplicateJobsOrRuns() throws Exception {
        fixture.jobs.hold();
        fixture.create(tiny.resource("restarted", registeredModel));
        fixture.awaitJobs(2);
        assertThat(fixture.awaitStatus("restarted", st -> st.runs.sweep.size() == 2).phase).isEqualTo(Phase.Sweeping);
        fixture.stopOperator();
        fixture.startOperator();
        Thread.sleep(2000); // the new operator reconciles the experiment while its sweep Jobs still run
        assertThat(fixture.jobSteps()).containsExactly("restarted-sweep-1", "restarted-sweep-2");
        fixture.jobs.release();

        BeLLMExperimentStatus status = fixture.awaitDone("restarted").getStatus();
        assertThat(status.phase).as(status.message).isEqualTo(Phase.Succeeded);
        assertThat(fixture.jobSteps()).containsExactly("restarted-evaluate", "restarted-sweep-1", "restarted-sweep-2",
                "restarted-train");
        assertThat(fixture.jobs.jobsSeen()).isEqualTo(4);
        Job sweep = fixture.job("restarted-sweep-1");
        assertThat(sweep.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getName()).isEqualTo("restarted"));
        assertThat(sweep.getSpec().getBackoffLimit()).isEqualTo(1);
        assertThat(sweep.getSpec().getActiveDeadlineSeconds()).isEqualTo(86400L);
    }

    /** Fewer shards during the sweep: both old shard Jobs go (their runs KILLED), one new one sweeps everything. */
    @Test
    void aSpecChangedDuringTheSweepReplacesTheStepsWhoseInputsChanged() throws Exception {
        fixture.jobs.hold();
        fixture.create(tiny.resource("changed", registeredModel));
        fixture.awaitJobs(2);
        BeLLMExperimentStatus before = fixture.awaitStatus("changed", st -> st.runs.sweep.size() == 2);
        String firstShard = fixture.job("changed-sweep-1").getMetadata().getName();
        String secondShard = fixture.job("changed-sweep-2").getMetadata().getName();
        fixture.editSpec("changed", spec -> spec.sweep.shards = 1);
        // one listing per check: the old shards go one at a time, so two listings can each see half of the change
        for (int i = 0; i < 100; i++) {
            List<String> names = fixture.jobNames();
            if (names.size() == 1 && !names.contains(firstShard) && !names.contains(secondShard)) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(fixture.jobSteps()).containsExactly("changed-sweep-1");
        assertThat(fixture.jobNames()).doesNotContain(firstShard);
        fixture.jobs.release();

        BeLLMExperimentStatus status = fixture.awaitDone("changed").getStatus();
        assertThat(status.phase).as(status.message).isEqualTo(Phase.Succeeded);
        assertThat(status.observedGeneration).isEqualTo(2L);
        assertThat(status.runs.sweep).hasSize(1).doesNotContainAnyElementsOf(before.runs.sweep);
        assertThat(status.runs.parent).as("one parent run across generations").isEqualTo(before.runs.parent);
        assertThat(mlflow.getRun(before.runs.sweep.get(0)).tags())
                .containsEntry(TrackingTags.KILLED_REASON, "replaced: the step's inputs changed");
        assertThat(mlflow.getRun(before.runs.sweep.get(1)).tags())
                .containsEntry(TrackingTags.KILLED_REASON, "sweep.shards changed");
        assertThat(fixture.eventReasons("changed")).contains("SpecChanged");
    }

    /** A new minGain after success: no Job runs again; the promotion is decided again and now promotes. */
    @Test
    void aNewMinGainAfterSuccessRerunsOnlyThePromotion() throws Exception {
        // a champion that any model beats, but not by 1000 points
        String olderRun = mlflow.createRun(mlflow.experimentId("older-" + fixture.namespace), "older", Map.of(), null);
        mlflow.registry().ensureModel(registeredModel);
        ModelVersion older = mlflow.registry().createVersion(registeredModel, olderRun, "model",
                Map.of("bellm.score.average_spearman", "-200"));
        mlflow.registry().setAlias(registeredModel, ModelRegistry.CHAMPION, older.version());
        BeLLMExperiment experiment = tiny.resource("regated", registeredModel);
        experiment.getSpec().promotion.minGain = 1000;
        experiment.getSpec().sweep.turningPoint = 3;
        fixture.create(experiment);
        BeLLMExperimentStatus first = fixture.awaitDone("regated").getStatus();
        assertThat(first.phase).as(first.message).isEqualTo(Phase.Succeeded);
        assertThat(first.promotion.promoted).isFalse();
        int jobs = fixture.jobs.jobsSeen();
        assertThat(jobs).isEqualTo(2);

        fixture.editSpec("regated", spec -> spec.promotion.minGain = 0);
        BeLLMExperimentStatus second = first;
        for (int i = 0; i < 200 && !Boolean.TRUE.equals(second.promotion == null ? null : second.promotion.promoted);
             i++) {
            Thread.sleep(100);
            second = fixture.get("regated").getStatus();
        }
        assertThat(second.promotion.promoted).as(second.message).isTrue();
        assertThat(second.phase).isEqualTo(Phase.Succeeded);
        assertThat(fixture.jobs.jobsSeen()).as("no step ran again").isEqualTo(jobs);
        assertThat(second.runs.train).isEqualTo(first.runs.train);
        assertThat(second.runs.evaluate).isEqualTo(first.runs.evaluate);
        assertThat(second.steps).filteredOn(s -> s.step.equals("train") || s.step.equals("evaluate"))
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(first.steps.stream()
                        .filter(s -> s.step.equals("train") || s.step.equals("evaluate")).toList());
        assertThat(mlflow.getRun(second.runs.parent).status()).isEqualTo("FINISHED");
    }

    /**
     * The training fails (its data is not there yet); once it is, the retry annotation reruns the training alone,
     * in the same run, and the experiment finishes.
     */
    @Test
    void aRetriedExperimentRestartsAtItsFailedStep(@TempDir Path late) throws Exception {
        BeLLMExperiment experiment = tiny.resource("retried", registeredModel);
        Path train = late.resolve("train.jsonl");
        experiment.getSpec().data.train = List.of("tiny-train=jsonl:" + train);
        fixture.create(experiment);
        BeLLMExperimentStatus failed = fixture.awaitDone("retried").getStatus();
        assertThat(failed.phase).isEqualTo(Phase.Failed);
        assertThat(failed.message).startsWith("train failed");
        assertThat(fixture.jobs.jobsSeen()).isEqualTo(3);

        java.nio.file.Files.copy(tiny.train, train);
        fixture.client.resources(BeLLMExperiment.class).inNamespace(fixture.namespace).withName("retried")
                .edit(e -> {
                    e.getMetadata().setAnnotations(Map.of(BeLLMExperiment.RETRY_ANNOTATION, "1"));
                    return e;
                });
        fixture.awaitPhase("retried", p -> p != Phase.Failed, Duration.ofSeconds(30));
        BeLLMExperimentStatus status = fixture.awaitDone("retried").getStatus();
        assertThat(status.phase).as(status.message).isEqualTo(Phase.Succeeded);
        assertThat(status.retried).isEqualTo("1");
        assertThat(fixture.jobs.jobsSeen()).as("sweep 2, train 2, evaluate 1").isEqualTo(5);
        assertThat(status.runs.sweep).isEqualTo(failed.runs.sweep);
        assertThat(status.runs.train).as("the same run").isEqualTo(failed.runs.train);
        assertThat(status.steps).filteredOn(s -> s.step.equals("train")).singleElement()
                .satisfies(s -> assertThat(s.attempt).isEqualTo(1));
        assertThat(fixture.eventReasons("retried")).contains("Retrying");
    }

    /** A step Job the API server refuses (a label it cannot take) fails the experiment, instead of retries for ever. */
    @Test
    void aStepJobTheApiServerRefusesFailsTheExperiment() throws Exception {
        BeLLMExperiment experiment = tiny.resource("unlabelled", registeredModel);
        experiment.getSpec().resources.labels = Map.of("team", "not a label value");
        fixture.create(experiment);
        BeLLMExperimentStatus status = fixture.awaitDone("unlabelled").getStatus();
        assertThat(status.phase).isEqualTo(Phase.Failed);
        assertThat(status.message).startsWith("sweep shard 1/2 failed: the API server refused the step's Job")
                .contains("not a label value");
        assertThat(fixture.jobNames()).isEmpty();
    }

    /** Suspended while its training waits for a pod: the Job goes, the run is KILLED; resumed, it finishes. */
    @Test
    void aSuspendedExperimentStopsItsStepAndAResumedOneFinishes() throws Exception {
        fixture.jobs.hold();
        BeLLMExperiment experiment = tiny.resource("paused", registeredModel);
        experiment.getSpec().sweep.turningPoint = 3;
        fixture.create(experiment);
        fixture.awaitJobs(1);
        String trainRun = fixture.awaitStatus("paused", st -> st.runs.train != null).runs.train;
        fixture.editSpec("paused", spec -> spec.suspend = true);
        BeLLMExperimentStatus suspended = fixture.awaitPhase("paused", p -> p == Phase.Suspended,
                Duration.ofSeconds(30)).getStatus();
        assertThat(suspended.progress).isEqualTo("suspended");
        for (int i = 0; i < 100 && !fixture.jobNames().isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertThat(fixture.jobNames()).isEmpty();
        assertThat(mlflow.getRun(trainRun).status()).isEqualTo("KILLED");
        assertThat(suspended.conditions).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Progressing");
            assertThat(c.getStatus()).isEqualTo("False");
        });

        fixture.editSpec("paused", spec -> spec.suspend = false);
        fixture.awaitJobs(1);
        fixture.jobs.release();
        BeLLMExperimentStatus status = fixture.awaitDone("paused").getStatus();
        assertThat(status.phase).as(status.message).isEqualTo(Phase.Succeeded);
        assertThat(status.runs.train).as("resumed in its run").isEqualTo(trainRun);
        assertThat(mlflow.getRun(trainRun).status()).isEqualTo("FINISHED");
        assertThat(fixture.eventReasons("paused")).contains("Suspended");
    }

    /**
     * Deleting an experiment mid-sweep: the finalizer holds it until its Jobs are deleted and its runs ended KILLED
     * with the reason; one recreated under the same name gets Jobs and runs of its own.
     */
    @Test
    void aDeletedExperimentKillsItsRunsAndDeletesItsJobsAndARecreatedOneAdoptsNothing() throws Exception {
        fixture.jobs.hold();
        BeLLMExperiment created = fixture.create(tiny.resource("again", registeredModel));
        fixture.awaitJobs(2);
        BeLLMExperimentStatus first = fixture.awaitStatus("again", st -> st.runs.sweep.size() == 2);
        assertThat(fixture.get("again").getMetadata().getFinalizers())
                .containsExactly("bellmexperiments.bellm.ai/finalizer");

        fixture.client.resources(BeLLMExperiment.class).inNamespace(fixture.namespace).withName("again").delete();
        for (int i = 0; i < 200 && fixture.get("again") != null; i++) {
            Thread.sleep(100);
        }
        assertThat(fixture.get("again")).as("gone once cleaned up").isNull();
        assertThat(fixture.jobNames()).isEmpty();
        for (String run : concat(first.runs.sweep, List.of(first.runs.parent))) {
            RunData data = mlflow.getRun(run);
            assertThat(data.status()).as(run).isEqualTo("KILLED");
            assertThat(data.tags().get(TrackingTags.KILLED_REASON))
                    .isEqualTo("BeLLMExperiment " + fixture.namespace + "/again was deleted while Sweeping");
        }

        BeLLMExperiment recreated = fixture.create(tiny.resource("again", registeredModel));
        fixture.awaitJobs(2);
        assertThat(fixture.client.batch().v1().jobs().inNamespace(fixture.namespace).list().getItems())
                .allSatisfy(job -> assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                        .satisfies(o -> assertThat(o.getUid()).isEqualTo(recreated.getMetadata().getUid())
                                .isNotEqualTo(created.getMetadata().getUid())));
        assertThat(fixture.awaitStatus("again", st -> st.runs.parent != null).runs.parent)
                .isNotEqualTo(first.runs.parent);
        fixture.jobs.release();
    }

    /**
     * Two experiments whose names share their first 63 characters (so their Jobs share the experiment label): a spec
     * change of one replaces its own Jobs, none of the other's.
     */
    @Test
    void aSpecChangeLeavesTheJobsOfAnExperimentSharingItsLabelAlone() throws Exception {
        String prefix = "x".repeat(63);
        fixture.jobs.hold();
        fixture.create(tiny.resource(prefix + "-a", registeredModel));
        fixture.create(tiny.resource(prefix + "-b", registeredModel));
        fixture.awaitJobs(4);
        List<String> jobsOfB = jobsOwnedBy(prefix + "-b");
        assertThat(jobsOfB).hasSize(2);

        fixture.client.resources(BeLLMExperiment.class).inNamespace(fixture.namespace).withName(prefix + "-a")
                .edit(e -> {
                    e.getSpec().sweep.shards = 1;
                    return e;
                });
        fixture.awaitStatus(prefix + "-a", st -> st.observedGeneration == 2L);
        fixture.awaitJobs(3); // a's two old sweep Jobs deleted, its new one created
        assertThat(jobsOwnedBy(prefix + "-b")).containsExactlyElementsOf(jobsOfB);
        fixture.jobs.release();
    }

    /**
     * The step pod template's fields go through the CRD (not pruned) and into Jobs the API server accepts; Kueue's
     * queue label is on the Job, where Kueue reads it.
     */
    @Test
    void theStepPodTemplateReachesTheJobsThroughTheApiServer() throws Exception {
        fixture.jobs.hold();
        BeLLMExperiment experiment = tiny.resource("templated", registeredModel);
        ResourcesSpec resources = experiment.getSpec().resources;
        resources.priorityClassName = "batch-low";
        resources.serviceAccountName = "bellm-steps";
        resources.imagePullSecrets = List.of(new LocalObjectReference("registry"));
        resources.affinity = new AffinityBuilder().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .addNewMatchExpression().withKey("gpu").withOperator("Exists").endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        resources.env = List.of(new EnvVarBuilder().withName("HF_TOKEN").withNewValueFrom().withNewSecretKeyRef()
                .withName("hf").withKey("token").endSecretKeyRef().endValueFrom().build());
        resources.labels = Map.of("kueue.x-k8s.io/queue-name", "team-a");
        resources.annotations = Map.of("team", "a");
        fixture.create(experiment);
        fixture.awaitJobs(2);

        Job job = fixture.job("templated-sweep-1");
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(job.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "team-a");
        assertThat(job.getMetadata().getAnnotations()).containsEntry("team", "a");
        assertThat(pod.getPriorityClassName()).isEqualTo("batch-low");
        assertThat(pod.getServiceAccountName()).isEqualTo("bellm-steps");
        assertThat(pod.getImagePullSecrets()).extracting(LocalObjectReference::getName).containsExactly("registry");
        assertThat(pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchExpressions().get(0).getKey()).isEqualTo("gpu");
        assertThat(pod.getContainers().get(0).getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("HF_TOKEN"));
        fixture.jobs.release();
    }

    private List<String> jobsOwnedBy(String experiment) {
        String uid = fixture.get(experiment).getMetadata().getUid();
        return fixture.client.batch().v1().jobs().inNamespace(fixture.namespace).list().getItems().stream()
                .filter(job -> StepJobs.ownedBy(job, uid)).map(job -> job.getMetadata().getName()).sorted().toList();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /**
     * The experiment's MLflow server (a dedicated real one) is down when the experiment arrives: no Job, no phase
     * lost, {@code Ready=False MlflowUnavailable} naming the server; once it is back, the experiment completes.
     */
    @Test
    void anExperimentWaitsForItsMlflowServerAndCompletesOnceItIsBack(@TempDir Path mlflowState) throws Exception {
        try (MlflowServer dedicated = MlflowServer.start(mlflowState)) {
            dedicated.stop();
            BeLLMExperiment experiment = tiny.resource("mlflow-outage", registeredModel);
            experiment.getSpec().tracking = new TrackingSpec();
            experiment.getSpec().tracking.mlflowUri = dedicated.uri();
            fixture.create(experiment);
            BeLLMExperiment waiting = fixture.get("mlflow-outage");
            for (int i = 0; i < 300 && !mlflowUnavailable(waiting); i++) {
                Thread.sleep(100);
                waiting = fixture.get("mlflow-outage");
            }
            assertThat(waiting.getStatus().conditions).as("Ready=False MlflowUnavailable").anySatisfy(c -> {
                assertThat(c.getReason()).isEqualTo("MlflowUnavailable");
                assertThat(c.getMessage()).contains(dedicated.uri());
            });
            assertThat(waiting.getStatus().phase).isEqualTo(Phase.Pending);
            assertThat(fixture.jobNames()).isEmpty();

            dedicated.start();
            BeLLMExperimentStatus status = fixture.awaitDone("mlflow-outage").getStatus();
            assertThat(status.phase).as(status.message).isEqualTo(Phase.Succeeded);
            assertThat(status.runs.mlflowUri).isEqualTo(dedicated.uri());
            try (MlflowTracking server = new MlflowTracking(TrackingConfig.of(dedicated.uri()))) {
                assertThat(server.getRun(status.runs.parent).status()).isEqualTo("FINISHED");
            }
        }
    }

    /**
     * An experiment naming a tracking server outside the operator's list (here the cloud metadata address) fails at
     * once, naming the field and the settings, and the operator never calls it: no Job, no run.
     */
    @Test
    void anExperimentNamingATrackingServerOutsideTheAllowedListFailsUncalled() throws Exception {
        BeLLMExperiment experiment = tiny.resource("foreign-mlflow", registeredModel);
        experiment.getSpec().tracking = new TrackingSpec();
        experiment.getSpec().tracking.mlflowUri = "http://169.254.169.254/latest/meta-data";
        fixture.create(experiment);
        BeLLMExperimentStatus status = fixture.awaitDone("foreign-mlflow").getStatus();
        assertThat(status.phase).isEqualTo(Phase.Failed);
        assertThat(status.message).contains("spec.tracking.mlflowUri: http://169.254.169.254/latest/meta-data")
                .contains("bellm.operator.allowed-mlflow-uris");
        assertThat(status.runs.mlflowUri).isNull();
        assertThat(status.runs.parent).isNull();
        assertThat(fixture.jobNames()).isEmpty();
        assertThat(fixture.eventReasons("foreign-mlflow")).contains("TrackingUriNotAllowed");
    }

    private static boolean mlflowUnavailable(BeLLMExperiment experiment) {
        return experiment.getStatus() != null && experiment.getStatus().conditions != null
                && experiment.getStatus().conditions.stream().anyMatch(c -> "Ready".equals(c.getType())
                && "False".equals(c.getStatus()) && "MlflowUnavailable".equals(c.getReason()));
    }

    @Test
    void aStepThatFailsBeyondItsBackoffFailsTheExperimentWithThePodsReason() throws Exception {
        BeLLMExperiment experiment = tiny.resource("broken", registeredModel);
        experiment.getSpec().sweep.turningPoint = 2;
        experiment.getSpec().data.train = List.of("gone=jsonl:/nonexistent/train.jsonl");
        fixture.create(experiment);
        BeLLMExperimentStatus status = fixture.awaitDone("broken").getStatus();
        assertThat(status.phase).isEqualTo(Phase.Failed);
        assertThat(status.message).startsWith("train failed: BackoffLimitExceeded")
                .contains("exit 1").contains("/nonexistent/train.jsonl");
        assertThat(fixture.client.pods().inNamespace(fixture.namespace).list().getItems()).hasSize(2);
        assertThat(status.conditions).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Failed");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThat(mlflow.getRun(status.runs.parent).status()).isEqualTo("FAILED");
        ExperimentOutcome failed = ExperimentOutcome.fromJson(events(1).get(0));
        assertThat(failed.type()).isEqualTo(ExperimentOutcome.FAILED);
        assertThat(failed.reason()).isEqualTo(status.message);
        assertThat(failed.experiment()).isEqualTo(new ModelPromoted.Experiment(fixture.namespace, "broken"));
    }

    @Test
    void theApiServerRejectsAResourceOutsideTheSchema() {
        BeLLMExperiment invalid = tiny.resource("invalid", registeredModel);
        invalid.getSpec().sweep.shards = 0;
        assertThatThrownBy(() -> fixture.create(invalid)).isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining("spec.sweep.shards");
        assertThat(fixture.jobNames()).isEmpty();
    }

    @Test
    void aLayerRangeBeyondTheModelEndsFailedWithTheWorkersMessage() throws Exception {
        BeLLMExperiment experiment = tiny.resource("too-deep", registeredModel);
        experiment.getSpec().sweep.layers = "1-40";
        experiment.getSpec().resources.backoffLimit = 0;
        fixture.create(experiment);
        BeLLMExperimentStatus status = fixture.awaitPhase("too-deep", Phase::terminal, Duration.ofMinutes(4))
                .getStatus();
        assertThat(status.phase).isEqualTo(Phase.Failed);
        assertThat(status.message).startsWith("sweep shard").contains("40").contains("4 layers");
        assertThat(fixture.jobNames()).allMatch(n -> n.contains("sweep"));
    }
}
