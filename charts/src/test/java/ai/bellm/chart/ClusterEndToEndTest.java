package ai.bellm.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.api.Phase;
import ai.bellm.embed.ModelPackage;
import ai.bellm.kafka.EmbeddedKafkaBroker;
import ai.bellm.serve.EmbeddingRecord;
import ai.bellm.testing.KafkaTestClient;
import ai.bellm.testing.MlflowServer;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.ModelRegistry;
import ai.bellm.tracking.ModelVersion;
import ai.bellm.tracking.TrackingConfig;
import ai.bellm.weights.SafetensorsFile;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole platform on the real single-node cluster of {@code scripts/kube-cluster.sh}: the three images built by
 * {@code scripts/build-images.sh} from this build's outputs, a real MLflow server and KRaft broker on the address pods
 * reach this machine by, the chart installed with helm-java, and {@code crds/examples/tiny.yaml} run by real pods
 * (kube-scheduler, kubelet, Job controller) to a promoted model that embed-service loads from MLflow alone and serves
 * over Kafka. {@code scripts/test.sh} starts the cluster and sets {@value #KUBECONFIG_ENV} and {@value #HOST_IP_ENV};
 * without them the test is skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterEndToEndTest {
    static final String KUBECONFIG_ENV = "BELLM_CLUSTER_KUBECONFIG";
    static final String HOST_IP_ENV = "BELLM_KUBE_HOST_IP";
    private static final String EXAMPLE = "tiny";
    private static final String MODEL = "bellm-tiny";
    private static final String TEXT_TOPIC = "bellm.text";
    private static final String EMBEDDINGS_TOPIC = "bellm.embeddings";
    private static final Duration EXPERIMENT_TIMEOUT = Duration.ofMinutes(20);
    private static final int RESUMED_STEPS = 150;
    private static final int SUSPENDED_STEPS = 600;

    private String kubeconfig;
    private String namespace;
    private MlflowServer mlflow;
    private EmbeddedKafkaBroker kafka;
    private KubernetesClient client;
    private MlflowTracking tracking;
    private Path dataVolume;

    /** The images, MLflow, Kafka, a fresh namespace with the example's volume, and the chart installed into it. */
    @BeforeAll
    void installThePlatform(@TempDir Path dir) throws Exception {
        kubeconfig = System.getenv(KUBECONFIG_ENV);
        String hostIp = System.getenv(HOST_IP_ENV);
        assumeTrue(kubeconfig != null && hostIp != null, "no cluster: run through scripts/test.sh, or start one with"
                + " scripts/kube-cluster.sh start and set " + KUBECONFIG_ENV + " and " + HOST_IP_ENV);
        LocalImages.build();
        namespace = "bellm-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        mlflow = MlflowServer.start(dir.resolve("mlflow"), hostIp);
        kafka = EmbeddedKafkaBroker.start(dir, hostIp);
        kafka.createTopics(Map.of(TEXT_TOPIC, 1, EMBEDDINGS_TOPIC, 1));
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(Path.of(kubeconfig))))
                .build();
        // the name label Kubernetes >= 1.21 sets itself, which the webhook's namespace selector matches
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .withLabels(Map.of("kubernetes.io/metadata.name", namespace)).endMetadata().build()).create();
        tracking = new MlflowTracking(TrackingConfig.of(mlflow.uri()));
        dataVolume = TinyExampleVolume.write(dir);
        createDataVolume(dataVolume);
        new BellmChart().install(Path.of(kubeconfig), "bellm", namespace, ValueSet.DEFAULTS,
                chartValues(mlflow.uri(), kafka.bootstrapServers()));
        client.apps().deployments().inNamespace(namespace).withName("bellm-operator").waitUntilReady(3,
                TimeUnit.MINUTES);
    }

    @AfterAll
    void uninstall() throws InterruptedException {
        if (client != null) {
            // the experiments first, while the operator runs: its finalizer holds each until it is cleaned up
            client.resources(BeLLMExperiment.class).inNamespace(namespace).delete();
            for (int i = 0; i < 600 && !client.resources(BeLLMExperiment.class).inNamespace(namespace).list()
                    .getItems().isEmpty(); i++) {
                Thread.sleep(100);
            }
            // cluster-wide, and failing closed: left behind it would refuse every experiment of this cluster
            client.admissionRegistration().v1().validatingWebhookConfigurations().withName("bellm-operator").delete();
            client.namespaces().withName(namespace).delete();
            client.persistentVolumes().withName(namespace + "-data").delete();
            client.close();
        }
        if (tracking != null) {
            tracking.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (mlflow != null) {
            mlflow.close();
        }
    }

    @Test
    void theTinyExampleRunsThroughRealPodsAndItsModelIsServedOverKafka() throws Exception {
        long applied = System.nanoTime();
        BeLLMExperiment done = run(example());
        System.out.printf("cluster e2e: kubectl apply to %s in %.1f s%n", done.getStatus().phase,
                (System.nanoTime() - applied) / 1e9);
        BeLLMExperimentStatus status = done.getStatus();
        assertThat(status.phase).as(status.message).isEqualTo(Phase.Succeeded);
        assertThat(status.promotion.promoted).as(status.promotion.reason).isTrue();
        assertThat(status.modelVersion).isEqualTo("1");
        assertThat(status.conditions).isNotEmpty();
        assertStepsRanAsRestrictedPods();
        assertThat(client.v1().events().inNamespace(namespace).list().getItems())
                .filteredOn(e -> EXAMPLE.equals(e.getInvolvedObject().getName())
                        && "BeLLMExperiment".equals(e.getInvolvedObject().getKind()))
                .extracting(Event::getReason).isNotEmpty();
        assertRegistered(status);
        assertPrinterColumns(status);

        // embed-service waited for models:/bellm-tiny@champion; it loads it from MLflow alone
        client.apps().deployments().inNamespace(namespace).withName("bellm-embed-service")
                .waitUntilReady(5, TimeUnit.MINUTES);
        assertEmbeddingsComeBackStampedWithVersion(status.modelVersion);
    }

    /** An image that is not there and requests no node has: the kubelet's and the scheduler's reasons, then Failed. */
    @Test
    void stepPodsThatCannotStartShowWhyAndFailTheExperimentAfterTheStartTimeout() throws IOException {
        BeLLMExperiment noImage = example();
        noImage.getMetadata().setName("no-image");
        noImage.getSpec().resources.image = "bellm/workers:absent";
        // both sweep shards fit on the node: each shard's reason is the kubelet's, not the scheduler's
        noImage.getSpec().resources.requests = Map.of("cpu", new Quantity("100m"));
        BeLLMExperiment tooBig = example();
        tooBig.getMetadata().setName("too-big");
        tooBig.getSpec().resources.requests = Map.of("cpu", new Quantity("64"));
        for (BeLLMExperiment e : List.of(noImage, tooBig)) {
            e.getSpec().resources.startTimeoutSeconds = 45;
            client.resource(e).create();
        }

        Map<String, String> expectedReason = Map.of("no-image", "ErrImagePull|ImagePullBackOff",
                "too-big", "Unschedulable");
        for (var expected : expectedReason.entrySet()) {
            BeLLMExperiment failed = await(expected.getKey(), e -> e.getStatus() != null
                    && e.getStatus().phase == Phase.Failed, Duration.ofMinutes(3));
            assertThat(failed.getStatus().message).contains("cannot start").containsPattern(expected.getValue())
                    .contains("resources.startTimeoutSeconds (45 s)");
            // the reconcile that set Ready=False with the pod's reason recorded this Event, in phase Sweeping
            Event shown = client.v1().events().inNamespace(namespace).list().getItems().stream()
                    .filter(e -> "PodCannotStart".equals(e.getReason())
                            && expected.getKey().equals(e.getInvolvedObject().getName()))
                    .findFirst().orElseThrow(() -> new AssertionError("no PodCannotStart Event of "
                            + expected.getKey()));
            assertThat(shown.getMessage()).containsPattern("cannot start: (" + expected.getValue() + ")");
            Duration untilShown = Duration.between(Instant.parse(failed.getMetadata().getCreationTimestamp()),
                    Instant.parse(shown.getFirstTimestamp()));
            assertThat(untilShown).isLessThan(Duration.ofMinutes(2));
        }
    }

    /**
     * The training pod deleted mid-run (its emptyDir with it): the Job's next pod downloads the run's last checkpoint,
     * resumes, and ends with the weights of an uninterrupted run of the same command in the same image.
     */
    @Test
    void aTrainingPodDeletedMidRunIsReplacedAndResumesFromTheRunsLastCheckpoint(@TempDir Path dir) throws Exception {
        BeLLMExperiment experiment = example();
        experiment.getMetadata().setName("resumed");
        experiment.getSpec().training.maxSteps = RESUMED_STEPS;
        experiment.getSpec().training.checkpointEvery = 10;
        experiment.getSpec().promotion.registeredModel = "bellm-resumed";
        client.resource(experiment).create();
        String trainRun = await("resumed", e -> e.getStatus() != null && e.getStatus().runs != null
                && e.getStatus().runs.train != null, EXPERIMENT_TIMEOUT).getStatus().runs.train;
        awaitArtifact("runs:/" + trainRun + "/checkpoints", "latest.json", Duration.ofMinutes(5));
        Pod first = trainingPods("resumed").get(0);
        client.pods().resource(first).delete();

        BeLLMExperiment done = await("resumed", e -> e.getStatus() != null && e.getStatus().phase != null
                && e.getStatus().phase.terminal(), EXPERIMENT_TIMEOUT);
        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
        // the deleted pod may still be listed, terminating, when the experiment ends: it has its grace period
        List<Pod> replacements = trainingPods("resumed").stream()
                .filter(p -> !p.getMetadata().getName().equals(first.getMetadata().getName())).toList();
        assertThat(replacements).as("the training Job's replacement pod").hasSize(1);
        String log = client.pods().resource(replacements.get(0)).getLog();
        Matcher resumed = Pattern.compile("checkpoint step-0*(\\d+) downloaded from run " + trainRun).matcher(log);
        assertThat(resumed.find()).as(log).isTrue();
        long step = Long.parseLong(resumed.group(1));
        assertThat(step).as("the first pod was deleted mid-run").isLessThan(RESUMED_STEPS);
        assertThat(log).contains("resuming from the checkpoint of step " + step);
        System.out.printf("cluster e2e: training pod deleted after step %d of %d; the next pod resumed there%n",
                step, RESUMED_STEPS);

        Path straight = Files.createDirectories(dir.resolve("straight"));
        Files.setPosixFilePermissions(straight, PosixFilePermissions.fromString("rwxrwxrwx"));
        LocalImages.runWorker(dataVolume, Map.of(straight, "/out"), Duration.ofMinutes(5),
                uninterruptedTraining(first).toArray(String[]::new));
        Path resumedWeights = dir.resolve("resumed.safetensors");
        tracking.artifacts().downloadFile("runs:/" + trainRun + "/model/" + ModelPackage.WEIGHTS, resumedWeights);
        assertSameWeights(resumedWeights, straight.resolve("model/" + ModelPackage.WEIGHTS));
    }

    /**
     * {@code kubectl patch} of spec.suspend mid-training: the training pod goes, its run is KILLED and the experiment
     * Suspended, with its progress in {@code kubectl get bexp} before; resumed, a new pod continues from the run's
     * last checkpoint and the experiment finishes.
     */
    @Test
    void aSuspendedTrainingStopsItsPodAndAResumedOneContinuesFromItsCheckpoint() throws Exception {
        BeLLMExperiment experiment = example();
        experiment.getMetadata().setName("suspended");
        experiment.getSpec().sweep.turningPoint = 3;
        experiment.getSpec().training.maxSteps = SUSPENDED_STEPS;
        experiment.getSpec().training.checkpointEvery = 10;
        experiment.getSpec().promotion.registeredModel = "bellm-suspended";
        client.resource(experiment).create();
        String trainRun = await("suspended", e -> e.getStatus() != null && e.getStatus().runs != null
                && e.getStatus().runs.train != null, EXPERIMENT_TIMEOUT).getStatus().runs.train;
        awaitArtifact("runs:/" + trainRun + "/checkpoints", "latest.json", Duration.ofMinutes(5));
        String progress = awaitProgress("suspended", "step \\d+/" + SUSPENDED_STEPS + " \\(\\d+%\\), loss");
        System.out.println("cluster e2e: kubectl get bexp during training: " + progress);

        kubectl("patch", "bexp", "suspended", "--type", "merge", "-p", "{\"spec\":{\"suspend\":true}}");
        BeLLMExperiment suspended = await("suspended", e -> e.getStatus().phase == Phase.Suspended,
                Duration.ofMinutes(2));
        assertThat(suspended.getStatus().message).contains("stopped train");
        for (int i = 0; i < 120 && !trainingPods("suspended").isEmpty(); i++) {
            Thread.sleep(1000); // the pod's grace period
        }
        assertThat(trainingPods("suspended")).as("no training pod while suspended").isEmpty();
        assertThat(tracking.getRun(trainRun).status()).isEqualTo("KILLED");

        kubectl("patch", "bexp", "suspended", "--type", "merge", "-p", "{\"spec\":{\"suspend\":false}}");
        BeLLMExperiment done = await("suspended", e -> e.getStatus().phase.terminal(), EXPERIMENT_TIMEOUT);
        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
        assertThat(done.getStatus().runs.train).isEqualTo(trainRun);
        String log = client.pods().resource(trainingPods("suspended").get(0)).getLog();
        assertThat(log).containsPattern("checkpoint step-0*\\d+ downloaded from run " + trainRun)
                .contains("resuming from the checkpoint of step");
    }

    /** The operator's admission webhook, called by the real API server, refuses what the workflow would fail on. */
    @Test
    void kubectlApplyOfAnInvalidSpecIsRefusedWithTheFieldNamed(@TempDir Path dir) throws Exception {
        String example = Files.readString(LocalImages.ROOT.resolve("crds/examples/" + EXAMPLE + ".yaml"));
        Path invalid = dir.resolve("invalid.yaml");
        Files.writeString(invalid, example.replace("name: " + EXAMPLE, "name: refused")
                .replace("    shards: 2\n", "    shards: 2\n    layers: 1-99999999999\n"));
        Process apply = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig, "--request-timeout", "20s",
                "-n", namespace, "apply", "-f", invalid.toString()).redirectErrorStream(true).start();
        String output = new String(apply.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(apply.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(apply.exitValue()).as(output).isNotZero();
        assertThat(output).contains("spec.sweep.layers: bad range '1-99999999999': number too large");
        assertThat(client.resources(BeLLMExperiment.class).inNamespace(namespace).withName("refused").get()).isNull();
    }

    /** The Progress column of {@code kubectl get bexp NAME} once it matches {@code pattern}. */
    private String awaitProgress(String name, String pattern) throws Exception {
        Pattern wanted = Pattern.compile(pattern);
        String table = "";
        for (int i = 0; i < 90; i++) {
            table = kubectl("get", "bexp", name);
            if (wanted.matcher(table).find()) {
                return table.strip().lines().toList().get(1);
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no progress matching " + pattern + " in:\n" + table);
    }

    private String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig, "--request-timeout",
                "10s", "-n", namespace));
        command.addAll(List.of(args));
        Process kubectl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(30, TimeUnit.SECONDS) && kubectl.exitValue() == 0).as(output).isTrue();
        return output;
    }

    /** The claim bellm-data of the example, bound to a hostPath volume on the single node. */
    private void createDataVolume(Path data) {
        String volume = namespace + "-data";
        client.persistentVolumes().resource(new PersistentVolumeBuilder()
                .withNewMetadata().withName(volume).endMetadata()
                .withNewSpec().withCapacity(Map.of("storage", new Quantity("1Gi")))
                .withAccessModes("ReadOnlyMany").withStorageClassName("")
                .withNewHostPath().withPath(data.toString()).withType("Directory").endHostPath()
                .endSpec().build()).create();
        client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("bellm-data").endMetadata()
                .withNewSpec().withAccessModes("ReadOnlyMany").withStorageClassName("").withVolumeName(volume)
                .withNewResources().withRequests(Map.of("storage", new Quantity("1Gi"))).endResources()
                .endSpec().build()).create();
    }

    /** The images built here (never pulled), the host's MLflow and Kafka, requests the 2-core node can schedule. */
    private Map<String, String> chartValues(String mlflowUri, String bootstrapServers) {
        Map<String, String> values = new HashMap<>();
        for (String image : new String[] {"operator", "workers", "embedService"}) {
            values.put("images." + image + ".tag", LocalImages.TAG);
        }
        values.put("images.operator.repository", "bellm/operator");
        values.put("images.workers.repository", "bellm/workers");
        values.put("images.embedService.repository", "bellm/embed-service");
        values.put("images.operator.pullPolicy", "Never");
        values.put("images.embedService.pullPolicy", "Never");
        values.put("kafka.bootstrapServers", bootstrapServers);
        values.put("mlflow.trackingUri", mlflowUri);
        values.put("embedService.model.registryName", MODEL);
        values.put("embedService.resources.requests.cpu", "250m");
        values.put("embedService.resources.requests.memory", "1Gi");
        values.put("operator.watchNamespaces[0]", namespace);
        return values;
    }

    /** crds/examples/tiny.yaml as {@code kubectl apply -n NAMESPACE} would create it. */
    private BeLLMExperiment example() throws IOException {
        Path example = LocalImages.ROOT.resolve("crds/examples/" + EXAMPLE + ".yaml");
        BeLLMExperiment experiment = client.getKubernetesSerialization()
                .unmarshal(Files.readString(example), BeLLMExperiment.class);
        experiment.getMetadata().setNamespace(namespace);
        return experiment;
    }

    /** Creates the experiment and waits for a terminal phase. */
    private BeLLMExperiment run(BeLLMExperiment experiment) {
        client.resource(experiment).create();
        return await(experiment.getMetadata().getName(), e -> e.getStatus() != null && e.getStatus().phase != null
                && e.getStatus().phase.terminal(), EXPERIMENT_TIMEOUT);
    }

    /** Waits for {@code condition}; on a timeout fails with the experiment's status and its pods' states. */
    private BeLLMExperiment await(String name, Predicate<BeLLMExperiment> condition, Duration timeout) {
        try {
            return client.resources(BeLLMExperiment.class).inNamespace(namespace).withName(name)
                    .waitUntilCondition(condition, timeout.toSeconds(), TimeUnit.SECONDS);
        } catch (KubernetesClientTimeoutException e) {
            BeLLMExperiment now = client.resources(BeLLMExperiment.class).inNamespace(namespace).withName(name).get();
            String pods = client.pods().inNamespace(namespace).withLabel("bellm.ai/experiment", name).list()
                    .getItems().stream().map(p -> p.getMetadata().getName() + " " + p.getStatus().getPhase() + " "
                            + client.getKubernetesSerialization().asJson(p.getStatus().getConditions()) + " "
                            + client.getKubernetesSerialization().asJson(p.getStatus().getContainerStatuses()))
                    .collect(Collectors.joining("\n"));
            throw new AssertionError("experiment " + name + " not there after " + timeout + "; status "
                    + client.getKubernetesSerialization().asJson(now.getStatus()) + "\npods:\n" + pods, e);
        }
    }

    /** Every step's Job succeeded with a pod of the workers image that ran under the restricted profile. */
    private void assertStepsRanAsRestrictedPods() {
        List<Job> jobs = client.batch().v1().jobs().inNamespace(namespace).withLabel("bellm.ai/experiment", EXAMPLE)
                .list().getItems();
        assertThat(jobs).extracting(j -> j.getMetadata().getLabels().get("bellm.ai/step"))
                .containsExactlyInAnyOrder("sweep-1", "sweep-2", "train", "evaluate");
        assertThat(jobs).allSatisfy(j -> assertThat(j.getStatus().getSucceeded()).isEqualTo(1));
        List<Pod> pods = client.pods().inNamespace(namespace).withLabel("bellm.ai/experiment", EXAMPLE).list()
                .getItems();
        assertThat(pods).isNotEmpty().allSatisfy(pod -> {
            assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
            assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo(LocalImages.image("workers"));
            assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
                    .isTrue();
        });
    }

    /** The pods of the experiment's training Job, oldest first. */
    private List<Pod> trainingPods(String experiment) {
        return client.pods().inNamespace(namespace).withLabel("bellm.ai/experiment", experiment)
                .withLabel("bellm.ai/step", "train").list().getItems().stream()
                .sorted(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp())).toList();
    }

    /** The training pod's own command line, writing its package to /out/model and logging nowhere. */
    private static List<String> uninterruptedTraining(Pod pod) {
        List<String> args = new ArrayList<>(pod.getSpec().getContainers().get(0).getArgs());
        args.set(args.indexOf("--out") + 1, "/out/model");
        return args;
    }

    /** Polls the artifact directory {@code dirUri} until {@code name} is in it. */
    private void awaitArtifact(String dirUri, String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (tracking.artifacts().list(dirUri).stream().noneMatch(f -> f.path().equals(name))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + name + " in " + dirUri + " after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** Same tensors, equal to 1e-5 (one libtorch, one CPU; a resumed run redraws the same batches and dropout). */
    private static void assertSameWeights(Path actual, Path expected) throws IOException {
        try (SafetensorsFile a = SafetensorsFile.open(actual); SafetensorsFile e = SafetensorsFile.open(expected)) {
            assertThat(a.tensorNames()).containsExactlyInAnyOrderElementsOf(e.tensorNames());
            for (String name : e.tensorNames()) {
                float[] got = a.read(name).data();
                float[] want = e.read(name).data();
                assertThat(got).as(name).hasSameSizeAs(want);
                for (int i = 0; i < want.length; i++) {
                    assertThat(got[i]).as("%s[%d]", name, i).isCloseTo(want[i], within(1e-5f));
                }
            }
        }
    }

    /** What {@code kubectl get bexp} shows, through the CRD's printer columns. */
    private void assertPrinterColumns(BeLLMExperimentStatus status) throws IOException, InterruptedException {
        Process kubectl = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig, "--request-timeout", "10s",
                "-n", namespace, "get", "bexp", EXAMPLE).redirectErrorStream(true).start();
        String table = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(30, TimeUnit.SECONDS) && kubectl.exitValue() == 0).as(table).isTrue();
        List<String> lines = table.strip().lines().toList();
        assertThat(lines).as(table).hasSize(2);
        // in the CRD's order, which fabric8's generator sorts by name (fabric8io/kubernetes-client#7454)
        assertThat(lines.get(0).split("\\s{2,}")).containsExactly("NAME", "AGE", "MODEL VERSION", "PHASE",
                "PROGRESS", "SCORE", "TURNING POINT");
        List<String> row = List.of(lines.get(1).split("\\s+"));
        assertThat(row).hasSize(7);
        assertThat(row.get(0)).isEqualTo(EXAMPLE);
        assertThat(row.subList(2, 5)).containsExactly(status.modelVersion, "Succeeded", "done");
        assertThat(Double.parseDouble(row.get(5))).isCloseTo(status.score, within(1e-3));
        assertThat(row.get(6)).isEqualTo(status.turningPoint.toString());
    }

    /** The MLflow side: the version the status names came from the training run, and @champion points at it. */
    private void assertRegistered(BeLLMExperimentStatus status) {
        ModelRegistry registry = tracking.registry();
        ModelVersion champion = registry.findByAlias(MODEL, ModelRegistry.CHAMPION).orElseThrow();
        assertThat(champion.version()).isEqualTo(status.modelVersion);
        assertThat(champion.runId()).isEqualTo(status.runs.train);
        assertThat(status.runs.sweep).hasSize(2);
        assertThat(status.runs.evaluate).isNotNull();
    }

    private void assertEmbeddingsComeBackStampedWithVersion(String version) {
        List<String> texts = List.of("a cat sits on the mat", "the weather is fine today", "trains run late");
        try (KafkaTestClient producer = new KafkaTestClient(kafka.bootstrapServers());
                KafkaTestClient.Reader embeddings = producer.reader(EMBEDDINGS_TOPIC)) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                records.add(new ProducerRecord<>(TEXT_TOPIC, ("text-" + i).getBytes(StandardCharsets.UTF_8),
                        texts.get(i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.send(records);
            List<EmbeddingRecord> out = embeddings.read(texts.size(), Duration.ofMinutes(2)).stream()
                    .map(r -> EmbeddingRecord.fromJson(r.value())).toList();
            assertThat(out).extracting(EmbeddingRecord::id).containsExactlyInAnyOrder("text-0", "text-1", "text-2");
            assertThat(out).allSatisfy(e -> {
                assertThat(e.model().name()).isEqualTo(MODEL);
                assertThat(e.model().version()).isEqualTo(version);
                assertThat(e.embedding()).hasSize(e.dim());
            });
        }
    }
}
