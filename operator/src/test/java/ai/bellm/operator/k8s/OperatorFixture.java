package ai.bellm.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.api.Phase;
import ai.bellm.experiment.workflow.KafkaModelEvents;
import ai.bellm.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** One namespace on the real API server with the operator watching it and the test job runner playing the kubelet. */
public final class OperatorFixture implements AutoCloseable {
    final KubernetesClient client;
    final String namespace;
    public final TestJobRunner jobs;
    /** The tracking servers experiments of the tests may name besides the fixture's: the tests' own, on loopback. */
    static final String DEDICATED_MLFLOW_SERVERS = "http://127.0.0.1:*";

    final String mlflowUri;
    final String topic;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final KubernetesClient operatorClient;
    private final Optional<LeaderLease> leaderElection;
    private final KafkaModelEvents events;
    private BellmOperator operator;

    OperatorFixture(KubeApiServer server, String mlflowUri, String kafka, Path workDir) {
        this(server.client(), server.newNamespace("bexp"), server.client(), Optional.empty(), mlflowUri, kafka,
                workDir);
    }

    /**
     * The operator talks to the API server with {@code operatorClient} (e.g. one impersonating a service account),
     * the test and its job runner with the admin {@code client}.
     */
    public OperatorFixture(KubernetesClient client, String namespace, KubernetesClient operatorClient,
                           Optional<LeaderLease> leaderElection, String mlflowUri, String kafka,
                           Path workDir) {
        this.client = client;
        this.namespace = namespace;
        this.operatorClient = operatorClient;
        this.leaderElection = leaderElection;
        this.mlflowUri = mlflowUri;
        this.topic = "model-events-" + namespace;
        this.events = new KafkaModelEvents(kafka, topic, Duration.ofSeconds(3));
        this.jobs = new TestJobRunner(client, namespace, workDir);
        startOperator();
    }

    void startOperator() {
        OperatorSettings settings = new OperatorSettings("bellm/workers:test", mlflowUri, Duration.ofSeconds(10),
                Duration.ofSeconds(1), OperatorSettings.DEFAULT_RECONCILE_THREADS, List.of(DEDICATED_MLFLOW_SERVERS), Optional.empty());
        operator = BellmOperator.start(operatorClient, settings, events, meters, Set.of(namespace), leaderElection);
    }

    void stopOperator() {
        operator.close();
    }

    public BeLLMExperiment create(BeLLMExperiment experiment) {
        return client.resources(BeLLMExperiment.class).inNamespace(namespace).resource(experiment).create();
    }

    public BeLLMExperiment get(String name) {
        return client.resources(BeLLMExperiment.class).inNamespace(namespace).withName(name).get();
    }

    public BeLLMExperiment awaitPhase(String name, Predicate<Phase> phase, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        BeLLMExperiment e = get(name);
        while (System.nanoTime() < deadline) {
            e = get(name);
            if (e.getStatus() != null && e.getStatus().phase != null && phase.test(e.getStatus().phase)) {
                return e;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("experiment " + name + " did not reach the phase in " + timeout + "; status: "
                + client.getKubernetesSerialization().asJson(e.getStatus()));
    }

    /** The experiment's status once {@code ready} holds for it (a Job may exist before the status naming it). */
    BeLLMExperimentStatus awaitStatus(String name, Predicate<BeLLMExperimentStatus> ready) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            BeLLMExperimentStatus status = get(name).getStatus();
            if (status != null && ready.test(status)) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("experiment " + name + " never got the status awaited: "
                + client.getKubernetesSerialization().asJson(get(name).getStatus()));
    }

    public BeLLMExperiment awaitDone(String name) throws InterruptedException {
        return awaitPhase(name, Phase::terminal, Duration.ofMinutes(8));
    }

    void awaitJobs(int count) throws InterruptedException {
        for (int i = 0; i < 200 && jobNames().size() < count; i++) {
            Thread.sleep(100);
        }
        assertThat(jobNames()).hasSize(count);
    }

    List<String> jobNames() {
        return client.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
                .map(j -> j.getMetadata().getName()).sorted().toList();
    }

    /** The Jobs as {@code <experiment>-<step>}, without the instance that ends their names, sorted. */
    List<String> jobSteps() {
        return jobNames().stream().map(n -> n.replaceAll("-[0-9a-f]{10}$", "")).toList();
    }

    /** The one Job of {@code <experiment>-<step>}. */
    Job job(String experimentStep) {
        List<Job> jobs = client.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
                .filter(j -> j.getMetadata().getName().replaceAll("-[0-9a-f]{10}$", "").equals(experimentStep))
                .toList();
        assertThat(jobs).as(experimentStep).hasSize(1);
        return jobs.get(0);
    }

    /** Edits the experiment's spec: a new generation. */
    void editSpec(String name, java.util.function.Consumer<ai.bellm.api.BeLLMExperimentSpec> edit) {
        client.resources(BeLLMExperiment.class).inNamespace(namespace).withName(name).edit(e -> {
            edit.accept(e.getSpec());
            return e;
        });
    }

    /** Reasons of the experiment's Events (unordered: the server keeps their times to the second). */
    public List<String> eventReasons(String name) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .map(e -> e.getReason()).toList();
    }

    @Override
    public void close() {
        stopOperator();
        jobs.close();
        events.close();
    }
}
