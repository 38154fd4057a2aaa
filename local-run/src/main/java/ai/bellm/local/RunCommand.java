package ai.bellm.local;

import ai.bellm.api.BeLLMExperiment;
import ai.bellm.api.BeLLMExperimentSpec;
import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.api.Phase;
import ai.bellm.data.BadLinePolicy;
import ai.bellm.data.ScoredPair;
import ai.bellm.data.TaskSpec;
import ai.bellm.experiment.workflow.ExperimentRef;
import ai.bellm.experiment.workflow.ExperimentWorkflow;
import ai.bellm.experiment.workflow.KafkaModelEvents;
import ai.bellm.experiment.workflow.MlflowWorkflowTracking;
import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.ModelRegistry;
import ai.bellm.tracking.TrackingConfig;
import ai.bellm.tracking.TrackingUnavailableException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bellm run}: the operator's workflow on this machine. The spec's data volume becomes a local directory
 * (seeded with the example files it lacks), MLflow is the given server or the project's local one, Kafka an embedded
 * broker, and every step a local process; at the end the embedding service serves the champion and a few texts go
 * through Kafka.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Run a BeLLMExperiment on this machine: sweep, training, evaluation and promotion as local"
                + " processes, tracked in MLflow, then serve the champion and send texts through Kafka.",
                "Prints one line per phase, then a summary. Exit code 0 when the experiment succeeded and every text"
                        + " came back embedded by the champion."})
final class RunCommand implements Callable<Integer> {
    static final String EVENTS_TOPIC = "bellm.model-events";
    static final String NAMESPACE = "local";
    private static final Duration MLFLOW_DEADLINE = Duration.ofMinutes(2);

    @Spec
    CommandSpec command;

    @Parameters(paramLabel = "EXPERIMENT.yaml", description = "A BeLLMExperiment, e.g. crds/examples/tiny.yaml.")
    Path file;

    @Option(names = "--volume", paramLabel = "CLAIM=DIR", description = "Local directory of the data volume CLAIM"
            + " (spec.data.volumeClaim, mounted at spec.data.mountPath in the pods). Default: "
            + "$BELLM_CACHE/volumes/CLAIM (BELLM_CACHE defaults to ~/.cache/bellm). Missing example files are created"
            + " or linked there.")
    Map<String, Path> volumes = new HashMap<>();

    @Option(names = "--mlflow", paramLabel = "URI", description = "MLflow tracking server. Default:"
            + " MLFLOW_TRACKING_URI, else the project's local server (scripts/mlflow-server.sh, store in"
            + " $BELLM_CACHE/local-mlflow), started if needed and left running for its UI.")
    String mlflowUri;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers. Default: a broker"
            + " embedded in this process for the run.")
    String kafkaBootstrap;

    @Option(names = "--texts", paramLabel = "N", defaultValue = "8", description = "Sentences of the first eval set"
            + " sent through Kafka at the end (default: ${DEFAULT-VALUE}).")
    int texts;

    @Option(names = "--parallelism", paramLabel = "P", defaultValue = "1", description = "Sweep shards run at the same"
            + " time (default: ${DEFAULT-VALUE}). Each step gets BELLM_THREADS = cores / P unless BELLM_THREADS is"
            + " set.")
    int parallelism;

    @Option(names = "--keep-serving", description = "Keep the embedding service and the broker up after the summary,"
            + " until Ctrl-C.")
    boolean keepServing;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0", description = "HTTP port of the embedding"
            + " service (default: a free one).")
    int port;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where the steps' working directories and logs go."
            + " Default: $BELLM_CACHE/runs/NAME-TIMESTAMP.")
    Path stateDir;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the summary as JSON.")
    Path summaryJson;

    private final WorkerProcesses processes;
    private final Supplier<Checkout> checkout;

    RunCommand(WorkerProcesses processes, Supplier<Checkout> checkout) {
        this.processes = processes;
        this.checkout = checkout;
    }

    @Override
    public Integer call() throws Exception {
        if (texts < 1 || parallelism < 1) {
            throw new IllegalArgumentException("--texts and --parallelism must be at least 1");
        }
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        long started = System.nanoTime();
        Path cache = cacheDir();

        BeLLMExperiment experiment = ExperimentFile.read(file);
        BeLLMExperimentSpec spec = experiment.getSpec();
        String name = experiment.getMetadata().getName();
        prepareData(spec, cache);
        Path state = stateDir != null ? stateDir : cache.resolve("runs").resolve(name + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(state);
        LocalMlflow mlflow = LocalMlflow.resolve(mlflowUri, checkout, cache);
        out.println("bellm run " + name + ": MLflow " + mlflow.uri() + ", steps in " + state);
        out.flush();

        ExperimentRef ref = new ExperimentRef(NAMESPACE, name, UUID.randomUUID().toString(), 1);
        BeLLMExperimentStatus status = new BeLLMExperimentStatus();
        status.runs.mlflowUri = mlflow.uri();
        StepProgress progress = new StepProgress(err, System.console() != null);
        TrackingConfig trackingConfig = TrackingConfig.of(mlflow.uri()).withDeadline(MLFLOW_DEADLINE);
        try (MlflowTracking tracking = new MlflowTracking(trackingConfig);
             RunKafka kafka = RunKafka.start(kafkaBootstrap);
             KafkaModelEvents events = new KafkaModelEvents(kafka.bootstrapServers(), EVENTS_TOPIC,
                     Duration.ofSeconds(10));
             LocalStepRunner runner = new LocalStepRunner(processes, state.resolve("steps"), mlflow.uri(),
                     stepEnv(), parallelism, progress::note)) {
            Interruption interruption = Interruption.install(runner, tracking, status);
            interruption.alsoStop(kafka);
            try {
                requireReachable(tracking, ExperimentWorkflow.mlflowExperiment(ref, spec), mlflow.uri());
                new WorkflowLoop(new ExperimentWorkflow(new MlflowWorkflowTracking(tracking), runner, events),
                        runner::steps, progress, interruption::requested, out).run(ref, spec, status, mlflow.uri());
                RunSummary summary = RunSummary.collect(name, spec, status, tracking, mlflow.uri(), state);
                if (status.phase != Phase.Succeeded) {
                    summary.finish(null, elapsed(started), out, summaryJson);
                    return 1;
                }
                String champion = tracking.registry().findByAlias(spec.promotion.registeredModel,
                        ModelRegistry.CHAMPION).orElseThrow(() -> new IllegalStateException("no @champion of "
                        + spec.promotion.registeredModel + " after the promotion step")).version();
                try (EmbedService service = EmbedService.start(processes, state.resolve("serve"),
                        spec.promotion.registeredModel, mlflow.uri(), kafka.bootstrapServers(), port)) {
                    interruption.alsoStop(service);
                    out.println("serving " + spec.promotion.registeredModel + " version " + champion
                            + " (@champion) at " + service.url() + "; sending " + texts + " texts through Kafka");
                    out.flush();
                    service.awaitReady();
                    KafkaRoundTrip.Result kafkaResult = KafkaRoundTrip.run(kafka.bootstrapServers(),
                            sentences(spec, texts), spec.promotion.registeredModel, champion);
                    summary.finish(kafkaResult, elapsed(started), out, summaryJson);
                    if (mlflow.startedHere() != null) {
                        out.println("MLflow keeps running for its UI; stop it with: "
                                + mlflow.stopCommand(checkout.get()));
                    }
                    if (keepServing && kafkaResult.passed()) {
                        printServing(out, service, kafka.bootstrapServers());
                        service.awaitExit();
                    }
                    out.flush();
                    return kafkaResult.passed() ? 0 : 1;
                }
            } finally {
                interruption.remove();
            }
        }
    }

    /** Maps the data volume onto a local directory, seeds the example files it lacks, and rewrites the spec's paths. */
    private void prepareData(BeLLMExperimentSpec spec, Path cache) {
        String claim = spec.data.volumeClaim;
        for (String named : volumes.keySet()) {
            if (!named.equals(claim)) {
                throw new IllegalArgumentException("--volume " + named + "=...: the experiment's data volume claim is "
                        + (claim == null ? "not set (spec.data.volumeClaim)" : claim));
            }
        }
        VolumeMapping volume = claim == null ? VolumeMapping.NONE : new VolumeMapping(claim, spec.data.mountPath,
                        volumes.getOrDefault(claim, cache.resolve("volumes").resolve(claim)).toAbsolutePath());
        ExampleVolume examples = ExampleVolume.standard(() -> checkout.get().smollm2(), () -> checkout.get().dataDir());
        SpecPaths.of(spec).forEach(ref -> examples.ensure(volume, ref));
        SpecPaths.rewrite(spec, volume::local);
    }

    private static void printServing(PrintWriter out, EmbedService service, String bootstrapServers) {
        out.println("Serving until Ctrl-C:");
        out.println("  REST   curl -s " + service.url() + "/embed -H 'Content-Type: application/json'"
                + " -d '{\"inputs\": [\"A man plays a guitar.\"]}'");
        out.println("  Kafka  bootstrap " + bootstrapServers + ": produce {\"id\": \"...\", \"text\": \"...\"}"
                + " (or plain text) to " + KafkaRoundTrip.INPUT_TOPIC + ", read " + KafkaRoundTrip.OUTPUT_TOPIC
                + ", e.g. echo 'A man plays a guitar.' | kcat -P -b " + bootstrapServers + " -t "
                + KafkaRoundTrip.INPUT_TOPIC);
        out.println("  log    " + service.log());
        out.flush();
    }

    /** One PyTorch thread pool per core in all: P steps side by side share the cores. */
    private Map<String, String> stepEnv() {
        if (System.getenv("BELLM_THREADS") != null) {
            return Map.of();
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / parallelism);
        return Map.of("BELLM_THREADS", Integer.toString(threads));
    }

    private static void requireReachable(MlflowTracking tracking, String experiment, String uri) {
        try {
            tracking.experimentId(experiment);
        } catch (TrackingUnavailableException e) {
            throw new IllegalStateException("MLflow at " + uri + " does not answer (retried for "
                    + MLFLOW_DEADLINE.toMinutes() + " min): start it (scripts/mlflow-server.sh start DIR) or pass"
                    + " --mlflow URI", e);
        }
    }

    /** The first {@code count} distinct sentences of the first eval set. */
    static List<String> sentences(BeLLMExperimentSpec spec, int count) {
        Set<String> sentences = new LinkedHashSet<>();
        for (ScoredPair pair : TaskSpec.parse(spec.data.eval.get(0)).load(BadLinePolicy.SKIP).pairs()) {
            sentences.add(pair.s1());
            sentences.add(pair.s2());
            if (sentences.size() >= count) {
                break;
            }
        }
        return sentences.stream().limit(count).toList();
    }

    private static Path cacheDir() {
        String cache = System.getenv("BELLM_CACHE");
        return cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "bellm");
    }

    private static long elapsed(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000_000L;
    }
}
