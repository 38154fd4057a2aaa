package ai.bellm.serve;

import ai.bellm.embed.InputTooLongException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text topic to embedding topic (and dead-letter topic), in micro-batches, at least once.
 *
 * <p>One thread owns a plain {@link KafkaConsumer} and {@link KafkaProducer}: poll, collect a batch (by count or
 * waiting time), embed it with the model in service (read once per batch), send every output and dead letter in
 * input order, wait until all are acknowledged, then commit the batch's offsets. A crash anywhere before the commit
 * means redelivery, never loss. Reactive messaging would ack each message on its own and spread the work over
 * threads, which makes "commit only after this whole batch's outputs are acknowledged" harder to see and to test.
 * Records of a partition are produced in their input order (the producer is idempotent, so retries keep it).
 */
public final class EmbeddingPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingPipeline.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    private static final long RETRY_PAUSE_MS = 1000;

    private final PipelineSettings settings;
    private final ModelHolder models;
    private final ServiceMetrics metrics;
    private final RecordDecoder decoder;
    private final DeadLetters deadLetters;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private final List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
    private long pendingSince;
    private volatile boolean running = true;
    private volatile boolean halted;

    public EmbeddingPipeline(PipelineSettings settings, ModelHolder models, ServiceMetrics metrics) {
        this.settings = settings;
        this.models = models;
        this.metrics = metrics;
        this.decoder = new RecordDecoder(settings.maxRecordBytes());
        this.deadLetters = new DeadLetters(settings.dlqTopic());
        this.consumer = new KafkaConsumer<>(settings.consumerProperties());
        this.producer = new KafkaProducer<>(settings.producerProperties());
        this.thread = new Thread(this::run, "bellm-embed-pipeline");
    }

    public void start() {
        thread.start();
    }

    /** Stops polling, finishes and commits the batch in hand and the records already polled, then closes. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }

    /**
     * Stops as a crash would: no batch finished, nothing more committed (outputs already sent may still arrive, so
     * the records after the last commit are delivered again to the next consumer).
     */
    public void halt() throws InterruptedException {
        halted = true;
        running = false;
        thread.join();
    }

    private void run() {
        try {
            // consume only once a model can embed, or the group would wait on a member that holds no model
            while (running && models.current().isEmpty()) {
                Thread.sleep(100);
            }
            consumer.subscribe(List.of(settings.inputTopic()), new FinishBatchOnRevoke());
            while (running) {
                long waited = pending.isEmpty() ? 0 : System.nanoTime() - pendingSince;
                Duration timeout = pending.isEmpty() ? IDLE_POLL
                        : Duration.ofNanos(Math.max(0, settings.maxWait().toNanos() - waited));
                consumer.poll(timeout).forEach(this::add);
                metrics.consumerLag(lag());
                while (pending.size() >= settings.maxBatchSize()) {
                    process(settings.maxBatchSize());
                }
                if (!pending.isEmpty() && System.nanoTime() - pendingSince >= settings.maxWait().toNanos()) {
                    process(pending.size());
                }
            }
            if (!halted && !pending.isEmpty()) {
                process(pending.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("embedding pipeline stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            producer.close(halted ? Duration.ZERO : Duration.ofSeconds(30));
        }
    }

    private void add(ConsumerRecord<byte[], byte[]> record) {
        if (pending.isEmpty()) {
            pendingSince = System.nanoTime();
        }
        pending.add(record);
    }

    /**
     * Embeds, sends and commits the first {@code n} pending records. A model failure is retried up to
     * {@code maxAttempts} times, then the texts are embedded one by one and those that fail alone are dead-lettered;
     * any other failure (Kafka) rewinds to redeliver the records, as often as it takes.
     */
    private void process(int n) throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(pending.subList(0, n));
        pending.subList(0, n).clear();
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                int embedded = send(batch, attempt > settings.maxAttempts());
                if (halted) {
                    return;
                }
                commit(batch);
                metrics.batchDone(batch.size(), embedded, Duration.ofNanos(System.nanoTime() - start));
                return;
            } catch (EmbeddingFailedException e) {
                LOG.warn("embedding a batch of {} records failed (attempt {} of {}){}: {}", batch.size(), attempt,
                        settings.maxAttempts(), attempt == settings.maxAttempts() ? ", next: one text at a time" : "",
                        e.getCause().toString());
                Thread.sleep(RETRY_PAUSE_MS);
            } catch (ExecutionException | RuntimeException e) {
                LOG.warn("batch of {} records failed, will be delivered again: {}", batch.size(), e.toString());
                rewind(batch);
                Thread.sleep(RETRY_PAUSE_MS);
                return;
            }
        }
    }

    /**
     * Sends the batch's outputs in input order and waits for every acknowledgement; returns the number embedded.
     * With {@code oneByOne}, each text gets a forward pass of its own and a text the model fails on is dead-lettered.
     */
    private int send(List<ConsumerRecord<byte[], byte[]>> batch, boolean oneByOne)
            throws InterruptedException, ExecutionException {
        List<ProducerRecord<byte[], byte[]>> outputs = new ArrayList<>(batch.size());
        List<DlqReason> reasons = new ArrayList<>();
        try (LoadedModel.Lease lease = models.lease().orElseThrow(() -> new IllegalStateException("no model"))) {
            LoadedModel model = lease.model();
            BudgetedEmbedder embedder = new BudgetedEmbedder(model.embedder(), settings.maxBatchTokens());
            List<Integer> rows = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            List<int[]> tokens = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                RecordDecoder.Decoded decoded = decoder.decode(record);
                if (decoded instanceof RecordDecoder.Text text) {
                    try {
                        tokens.add(embedder.tokens(text.text()));
                        rows.add(outputs.size());
                        ids.add(text.id());
                        outputs.add(null); // filled below, keeping input order
                        continue;
                    } catch (InputTooLongException e) {
                        decoded = new RecordDecoder.Rejected(DlqReason.TOO_MANY_TOKENS, e.getMessage());
                    }
                }
                RecordDecoder.Rejected rejected = (RecordDecoder.Rejected) decoded;
                outputs.add(deadLetters.record(record, rejected.reason(), rejected.detail()));
                reasons.add(rejected.reason());
            }
            String[] failures = new String[tokens.size()];
            float[][] vectors = oneByOne ? embedEach(embedder, tokens, failures) : embedAll(embedder, tokens);
            EmbeddingRecord.ModelRef ref = new EmbeddingRecord.ModelRef(model.name(), model.version());
            for (int i = 0; i < rows.size(); i++) {
                ConsumerRecord<byte[], byte[]> source = batch.get(rows.get(i));
                if (vectors[i] == null) {
                    outputs.set(rows.get(i), deadLetters.record(source, DlqReason.EMBEDDING_FAILED, failures[i]));
                    reasons.add(DlqReason.EMBEDDING_FAILED);
                    continue;
                }
                byte[] value = new EmbeddingRecord(ids.get(i), ref, vectors[i].length, vectors[i]).toJson();
                outputs.set(rows.get(i), new ProducerRecord<>(settings.outputTopic(), null, source.key(), value,
                        source.headers()));
            }
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(outputs.size());
        outputs.forEach(o -> acks.add(producer.send(o)));
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
        reasons.forEach(metrics::deadLettered);
        return batch.size() - reasons.size();
    }

    private static float[][] embedAll(BudgetedEmbedder embedder, List<int[]> tokens) {
        try {
            return embedder.embed(tokens);
        } catch (RuntimeException e) {
            throw new EmbeddingFailedException(e);
        }
    }

    /** Each text alone; a text the model fails on gets a null vector and its failure in {@code failures}. */
    private static float[][] embedEach(BudgetedEmbedder embedder, List<int[]> tokens, String[] failures) {
        float[][] vectors = new float[tokens.size()][];
        for (int i = 0; i < tokens.size(); i++) {
            try {
                vectors[i] = embedder.embed(List.of(tokens.get(i)))[0];
            } catch (RuntimeException e) {
                failures[i] = e.toString();
            }
        }
        return vectors;
    }

    /** The model, not Kafka, failed: worth a few more attempts, not endless redelivery. */
    private static final class EmbeddingFailedException extends RuntimeException {
        EmbeddingFailedException(RuntimeException cause) {
            super(cause);
        }
    }

    private void commit(List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException e) {
            // the group moved the partitions elsewhere meanwhile: their new owner processes these records again
            LOG.warn("commit failed after a rebalance, {} records will be delivered again: {}", batch.size(),
                    e.getMessage());
        }
    }

    /** Seeks the batch's partitions back to its first records and drops what was polled after them. */
    private void rewind(List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        pending.removeIf(r -> first.containsKey(new TopicPartition(r.topic(), r.partition())));
        first.forEach((tp, offset) -> {
            if (consumer.assignment().contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
    }

    private long lag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            total += consumer.currentLag(tp).orElse(0);
        }
        return total;
    }

    /** Runs inside poll on the pipeline thread: finish what was polled before partitions move to another member. */
    private final class FinishBatchOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (halted || pending.isEmpty()) {
                return;
            }
            try {
                process(pending.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // already owned by another member: committing is impossible, the records are its to process
            pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        }
    }
}
