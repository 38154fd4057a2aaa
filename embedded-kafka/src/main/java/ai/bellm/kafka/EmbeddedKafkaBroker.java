package ai.bellm.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node KRaft Kafka (broker and controller in one) running in this JVM, on free ports of 127.0.0.1 (or
 * of another local address, e.g. the one pods of a local cluster reach the host by), with its log in a temporary
 * directory. {@link #stop()} and {@link #start()} restart it on the same log and ports, so
 * clients reconnect to the same data.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    // strong references: java.util.logging forgets the level of a logger that is garbage-collected
    private static final List<Logger> QUIET = Stream.of("kafka", "org.apache.kafka", "state.change.logger")
            .map(Logger::getLogger).toList();

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final String host;
    private final int brokerPort;
    private final int controllerPort;
    private final int saslSslPort;
    private final SaslSslListener saslSsl; // null: plain listener only
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dir, String host, int brokerPort, int controllerPort, int saslSslPort,
                                SaslSslListener saslSsl) {
        this.dir = dir;
        this.host = host;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.saslSslPort = saslSslPort;
        this.saslSsl = saslSsl;
    }

    /** Formats a new log directory and starts the broker on 127.0.0.1 (~4 s). */
    public static EmbeddedKafkaBroker start(Path tempDir) {
        return start(tempDir, "127.0.0.1");
    }

    /** Formats a new log directory and starts the broker, listening on and advertising the local address {@code host}. */
    public static EmbeddedKafkaBroker start(Path tempDir, String host) {
        return start(tempDir, host, null, null);
    }

    /**
     * As {@link #start(Path)}, with a second listener, SASL_SSL ({@link #saslSslBootstrapServers()}), that knows
     * {@code user} with {@code password} (letters and digits); the plain listener stays for the broker's own use.
     */
    public static EmbeddedKafkaBroker startWithSaslSsl(Path tempDir, String user, String password) {
        return start(tempDir, "127.0.0.1", user, password);
    }

    private static EmbeddedKafkaBroker start(Path tempDir, String host, String saslUser, String saslPassword) {
        QUIET.forEach(l -> l.setLevel(Level.WARNING));
        try {
            Path dir = Files.createTempDirectory(tempDir, "kafka");
            SaslSslListener saslSsl = saslUser == null ? null
                    : SaslSslListener.create(dir, host, saslUser, saslPassword);
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, host, freePort(host), freePort(host),
                    saslSsl == null ? 0 : freePort(host), saslSsl);
            broker.format();
            broker.start();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return host + ":" + brokerPort;
    }

    /** The SASL_SSL listener's address; only for a broker of {@link #startWithSaslSsl}. */
    public String saslSslBootstrapServers() {
        return host + ":" + saslSslPort;
    }

    /** The SASL_SSL listener, whose {@link SaslSslListener#clientProperties} a client needs; empty for a plain broker. */
    public Optional<SaslSslListener> saslSsl() {
        return Optional.ofNullable(saslSsl);
    }

    /** Starts again after {@link #stop()}, on the same log directory and ports. */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("already running");
        }
        server = new KafkaRaftServer(KafkaConfig.fromProps(properties()), Time.SYSTEM);
        server.startup();
        awaitUnfenced();
    }

    /**
     * Waits until the broker is registered and unfenced: startup() returns before that, and on a restart the
     * controller keeps the broker fenced until its new registration is accepted, so a producer started right after
     * would find no broker to send to.
     */
    private void awaitUnfenced() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            Throwable lastError = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000)).nodes().get().isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    lastError = e.getCause();
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("broker on " + bootstrapServers() + " not unfenced after " + READY_TIMEOUT,
                    lastError);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /**
     * Creates topics (name to partition count) and waits until the broker leads every partition. Producing to a
     * partition the broker has not opened yet can lose an idempotent producer's first batch: it is refused
     * (NOT_LEADER_OR_FOLLOWER), a later batch is taken, and the retried first one then fails as out of order until it
     * expires (KAFKA-15591, seen in this project's CI).
     */
    public void createTopics(Map<String, Integer> partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(partitions.entrySet().stream()
                    .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1)).toList()).all().get();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!allLed(admin, partitions.keySet())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + partitions.keySet() + " have no leader after 30 s");
                }
                Thread.sleep(20);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics " + partitions.keySet(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean allLed(Admin admin, Collection<String> topics) throws InterruptedException {
        try {
            return admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .flatMap(topic -> topic.partitions().stream()).allMatch(p -> p.leader() != null);
        } catch (ExecutionException e) {
            return false; // not known to the broker yet
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Stops the broker and deletes its log. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        String plain = "PLAINTEXT://" + host + ":" + brokerPort;
        String secured = saslSsl == null ? "" : ",SASL_SSL://" + host + ":" + saslSslPort;
        p.put("listeners", plain + secured + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", plain + secured);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL");
        if (saslSsl != null) {
            saslSsl.configure(p);
        }
        p.put("log.dirs", dir.resolve("log").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        return p;
    }

    private void format() throws IOException {
        Path config = dir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            properties().store(out, "embedded KRaft broker");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString()));
        if (saslSsl != null) {
            args.addAll(saslSsl.formatArguments());
        }
        int status = StorageTool.execute(args.toArray(String[]::new), new PrintStream(output, true,
                StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("kafka storage format failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }
}
