package ai.bellm.serve;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every setting of the service ({@code bellm.*} in application.properties). */
@ConfigMapping(prefix = "bellm")
public interface ServiceConfig {

    ModelSettings model();

    EmbeddingSettings embedding();

    KafkaSettings kafka();

    RestSettings rest();

    interface ModelSettings {
        /** Registered MLflow model whose {@code @alias} version is served; wins over {@link #path()}. */
        Optional<String> registryName();

        /**
         * The alias followed: promotions of it switch the service to the version it then names. The operator moves
         * {@code champion}; any other alias (one moved by hand) pins the service to its version.
         */
        @WithDefault("champion")
        String alias();

        /** A local GGUF file, HF directory or model package, served when no registry name is set. */
        Optional<Path> path();

        /**
         * {@code f32} or {@code bf16}: how the projections of every served model are stored and multiplied (BF16 on
         * the CPU's matrix units); unset, each model's own (a package's manifest says, else f32).
         */
        Optional<String> precision();

        /** MLflow server; default {@code MLFLOW_TRACKING_URI}. */
        Optional<String> trackingUri();

        /** Where registry versions are downloaded to; default a temporary directory. */
        Optional<Path> cacheDir();

        /** First pause between attempts to load the model at start; doubles up to {@link #retryMax()}. */
        @WithDefault("1s")
        Duration retryInitial();

        @WithDefault("30s")
        Duration retryMax();
    }

    interface EmbeddingSettings {
        /** Longest prompted input in tokens; unset: the model's own (a package's recipe, else the default 512). */
        Optional<Integer> maxTokens();

        /** Cut over-long input instead of rejecting it (REST: 413; Kafka: dead letter too-many-tokens). */
        @WithDefault("false")
        boolean truncate();

        @WithDefault("false")
        boolean normalize();

        /** Most texts in one forward pass. */
        @WithDefault("32")
        int maxBatchSize();

        /** Most tokens (sum over the texts) in one forward pass. */
        @WithDefault("8192")
        int maxBatchTokens();
    }

    /** Limits of {@code /embed} and {@code /v1/embeddings}; the body size is Quarkus' {@code quarkus.http.limits.max-body-size}. */
    interface RestSettings {
        /** Most texts in one request (OpenAI's limit); more: 413. */
        @WithDefault("2048")
        int maxInputs();

        /** Most prompted tokens in one request, summed over its texts; more: 413. */
        @WithDefault("65536")
        int maxRequestTokens();

        /** Most requests waiting to be embedded; one more: 429 with {@code Retry-After}. */
        @WithDefault("64")
        int maxQueuedRequests();

        /**
         * API keys a request must bring as {@code Authorization: Bearer <key>} (comma-separated in
         * {@code BELLM_REST_API_KEYS}); unset: no authentication.
         */
        Optional<List<String>> apiKeys();
    }

    interface KafkaSettings {
        /** The Kafka pipeline and the model-event listener run only when this is set. */
        Optional<String> bootstrapServers();

        @WithDefault("bellm.text")
        String inputTopic();

        @WithDefault("bellm.embeddings")
        String outputTopic();

        @WithDefault("bellm.text.dlq")
        String dlqTopic();

        @WithDefault("bellm.model-events")
        String eventsTopic();

        @WithDefault("bellm-embed-service")
        String groupId();

        /** Most records embedded and committed together (forward passes are cut from them sorted by length). */
        @WithDefault("256")
        int maxBatchSize();

        /** Longest a record waits for its batch to fill. */
        @WithDefault("50ms")
        Duration maxWait();

        /** Records whose key, value or headers are larger go to the dead-letter topic as too-large (cut to it). */
        @WithDefault("65536")
        int maxRecordBytes();

        /**
         * Attempts at embedding a batch; after the last, its texts are embedded one by one and those that still fail
         * go to the dead-letter topic as embedding-failed.
         */
        @WithDefault("3")
        int maxAttempts();

        /**
         * {@code at-least-once}: a crash can repeat outputs; {@code exactly-once}: one transaction per batch, each
         * input's output seen once by {@code read_committed} consumers, at a throughput cost (docs/benchmarks.md).
         */
        @WithDefault("at-least-once")
        PipelineSettings.Delivery delivery();

        /** The producer's {@code transactional.id} when exactly once; default {@code <group-id>-$HOSTNAME}. */
        Optional<String> transactionalId();

        /**
         * Properties of every Kafka client of the service, in a file (Kafka's client config format; the chart mounts
         * it from a Secret): {@code security.protocol}, SASL and TLS settings. {@link #consumer()} and
         * {@link #producer()} win over it.
         */
        Optional<Path> clientPropertiesFile();

        /** Extra consumer properties, e.g. {@code bellm.kafka.consumer."fetch.min.bytes"=1}. */
        Map<String, String> consumer();

        /** Extra producer properties, e.g. {@code bellm.kafka.producer."linger.ms"=5}. */
        Map<String, String> producer();
    }
}
