package ai.bellm.serve;

import ai.bellm.embed.InputTooLongException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text topic to embedding topic (and dead-letter topic), in micro-batches, at least once or exactly once.
 *
 * <p>One thread owns a plain {@link KafkaConsumer} and {@link KafkaProducer}: poll, collect a batch (by count or
 * waiting time), embed it with the model in service (read once per batch), send every output and dead letter in
 * input order, and commit the batch's offsets once all its outputs are acknowledged. The acknowledgements are awaited
 * after the next batch has been embedded (or as soon as the input runs dry), so the model never idles while the
 * broker replicates; the commit still follows its own batch's acknowledgements. A crash anywhere before the commit
 * means redelivery, never loss. Reactive messaging would ack each message on its own and spread the work over
 * threads, which makes "commit only after this whole batch's outputs are acknowledged" harder to see and to test.
 * Records of a partition are produced in their input order (the producer is idempotent, so retries keep it).
 *
 * <p>Exactly once ({@link PipelineSettings.Delivery#EXACTLY_ONCE}): each batch's outputs, dead letters and input
 * offsets are committed in one Kafka transaction ({@code sendOffsetsToTransaction} with the consumer's group
 * metadata, so a member the group has replaced cannot commit), or aborted and delivered again; consumers reading
 * with {@code isolation.level=read_committed} then see each input's output once. Batches do not overlap in this mode:
 * the next one is embedded after the commit.
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
    /** The last batch sent: its outputs are on their way, its offsets not committed yet. */
    private SentBatch inFlight;
    private volatile boolean running = true;
    private volatile boolean halted;
    private volatile Throwable death;

    public EmbeddingPipeline(PipelineSettings settings, ModelHolder models, ServiceMetrics metrics) {
        this.settings = settings;
        this.models = models;
        this.metrics = metrics;
        this.decoder = new RecordDecoder(settings.maxRecordBytes());
        this.deadLetters = new DeadLetters(settings.dlqTopic(), settings.maxRecordBytes());
        this.consumer = new KafkaConsumer<>(settings.consumerProperties());
        this.producer = new KafkaProducer<>(settings.producerProperties());
        this.thread = new Thread(this::run, "bellm-embed-pipeline");
    }

    public void start() {
        thread.start();
    }

    /** What ended the pipeline's thread, if something other than {@link #close()} or {@link #halt()} did. */
    public Optional<Throwable> death() {
        return Optional.ofNullable(death);
    }

    /** Stops polling, finishes and commits the batch in hand and the records already polled, then closes. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }

    /**
     * Stops as a crash would: no batch finished, nothing more committed. At least once, outputs already sent may
     * still arrive, so the records after the last commit are delivered again to the next consumer; exactly once, a
     * batch being embedded is sent and its transaction left open, for the next producer with the same transactional
     * id (or the transaction timeout) to abort.
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
            if (settings.exactlyOnce()) {
                initTransactions();
            }
            consumer.subscribe(List.of(settings.inputTopic()), new FinishBatchOnRevoke());
            while (running) {
                long waited = pending.isEmpty() ? 0 : System.nanoTime() - pendingSince;
                Duration timeout = pending.isEmpty() ? IDLE_POLL
                        : Duration.ofNanos(Math.max(0, settings.maxWait().toNanos() - waited));
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(timeout);
                polled.forEach(this::add);
                metrics.consumerLag(lag());
                if (polled.isEmpty() && pending.isEmpty()) {
                    settleInFlight(); // the input ran dry: nothing to overlap the acknowledgements with
                }
                if (pending.size() >= settings.maxBatchSize()) {
                    while (pending.size() >= settings.maxBatchSize()) {
                        process(settings.maxBatchSize());
                    }
                    // What is left of full batches starts a wait of its own. Closing it at once, because it was polled
                    // before those batches were embedded, would embed a fragment while the broker holds more records.
                    pendingSince = System.nanoTime();
                }
                if (!pending.isEmpty() && System.nanoTime() - pendingSince >= settings.maxWait().toNanos()) {
                    process(pending.size());
                }
            }
            if (!halted) {
                if (!pending.isEmpty()) {
                    process(pending.size());
                }
                settleInFlight();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            death = e;
            LOG.error("embedding pipeline stopped: records are no longer embedded", e);
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

    /** Embeds the first {@code n} pending records and sends their outputs, at least or exactly once. */
    private void process(int n) throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(pending.subList(0, n));
        pending.subList(0, n).clear();
        if (settings.exactlyOnce()) {
            processInTransaction(batch);
        } else {
            processOverlapped(batch);
        }
    }

    /**
     * At least once: embeds the batch and sends its outputs, after settling the batch sent before. A model failure is
     * retried up to {@code maxAttempts} times, then the texts are embedded one by one and those that fail alone are
     * dead-lettered; any other failure (Kafka) rewinds to redeliver the records not yet committed, as often as it
     * takes.
     */
    private void processOverlapped(List<ConsumerRecord<byte[], byte[]>> batch) throws InterruptedException {
        long start = System.nanoTime();
        List<ConsumerRecord<byte[], byte[]>> unsettled = batch;
        try {
            Outputs outputs = embedWithRetries(batch);
            if (halted) {
                return;
            }
            SentBatch previous = inFlight;
            inFlight = null;
            if (previous != null) {
                unsettled = concat(previous.records(), batch);
                settle(previous);
                unsettled = batch;
            }
            inFlight = send(batch, outputs, start);
        } catch (ExecutionException | RuntimeException e) {
            LOG.warn("{} records failed, will be delivered again: {}", unsettled.size(), e.toString());
            rewind(unsettled);
            Thread.sleep(RETRY_PAUSE_MS);
        }
    }

    /**
     * Exactly once: the batch's outputs and dead letters and its input offsets in one transaction. A failure the
     * producer can go past aborts it and delivers the batch again; a fatal one (fenced by a producer with the same
     * transactional id, not authorized, out of sequence) ends the pipeline, and liveness restarts the pod.
     */
    private void processInTransaction(List<ConsumerRecord<byte[], byte[]>> batch) throws InterruptedException {
        long start = System.nanoTime();
        boolean begun = false;
        try {
            Outputs outputs = embedWithRetries(batch);
            producer.beginTransaction();
            begun = true;
            SentBatch sent = send(batch, outputs, start);
            if (halted) {
                return; // a crash at the worst moment: outputs sent, the transaction left open
            }
            producer.sendOffsetsToTransaction(offsets(batch), consumer.groupMetadata());
            producer.commitTransaction();
            recordDone(sent);
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                 | UnsupportedVersionException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("{} records failed{}, will be delivered again: {}", batch.size(),
                    begun ? " (transaction aborted)" : "", e.toString());
            if (begun) {
                producer.abortTransaction();
            }
            rewind(batch);
            Thread.sleep(RETRY_PAUSE_MS);
        }
    }

    /** Registers the transactional id, aborting what an earlier producer with it left open; waits for Kafka. */
    private void initTransactions() {
        while (running) {
            try {
                producer.initTransactions();
                return;
            } catch (TimeoutException e) {
                LOG.warn("Kafka's transaction coordinator did not answer, trying again: {}", e.getMessage());
            }
        }
    }

    /** Awaits the acknowledgements of the batch in flight, if any, and commits it; a Kafka failure rewinds it. */
    private void settleInFlight() throws InterruptedException {
        SentBatch sent = inFlight;
        inFlight = null;
        if (sent == null) {
            return;
        }
        try {
            settle(sent);
        } catch (ExecutionException | RuntimeException e) {
            LOG.warn("batch of {} records was not acknowledged, will be delivered again: {}", sent.records().size(),
                    e.toString());
            rewind(sent.records());
            Thread.sleep(RETRY_PAUSE_MS);
        }
    }

    private void settle(SentBatch sent) throws InterruptedException, ExecutionException {
        for (Future<RecordMetadata> ack : sent.acks()) {
            ack.get();
        }
        commit(sent.records());
        recordDone(sent);
    }

    private void recordDone(SentBatch sent) {
        sent.deadLetters().forEach(metrics::deadLettered);
        metrics.batchDone(sent.records().size(), sent.records().size() - sent.deadLetters().size(),
                Duration.ofNanos(sent.lastAckNanos().get() - sent.startNanos()));
    }

    /** Embeds a batch; a model failure is retried, and after {@code maxAttempts} the texts go one by one. */
    private Outputs embedWithRetries(List<ConsumerRecord<byte[], byte[]>> batch) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return embed(batch, attempt > settings.maxAttempts());
            } catch (EmbeddingFailedException e) {
                LOG.warn("embedding a batch of {} records failed (attempt {} of {}){}: {}", batch.size(), attempt,
                        settings.maxAttempts(), attempt == settings.maxAttempts() ? ", next: one text at a time" : "",
                        e.getCause().toString());
                Thread.sleep(RETRY_PAUSE_MS);
            }
        }
    }

    /** A batch's output and dead-letter records in input order, and why each dead letter is one. */
    private record Outputs(List<ProducerRecord<byte[], byte[]>> records, List<DlqReason> deadLetters) {
    }

    /** A batch whose outputs were handed to the producer; {@code lastAckNanos} is when the latest ack arrived. */
    private record SentBatch(List<ConsumerRecord<byte[], byte[]>> records, List<Future<RecordMetadata>> acks,
                             List<DlqReason> deadLetters, long startNanos, AtomicLong lastAckNanos) {
    }

    private SentBatch send(List<ConsumerRecord<byte[], byte[]>> batch, Outputs outputs, long start) {
        AtomicLong lastAck = new AtomicLong(start);
        List<Future<RecordMetadata>> acks = new ArrayList<>(outputs.records().size());
        for (ProducerRecord<byte[], byte[]> output : outputs.records()) {
            acks.add(producer.send(output, (metadata, error) -> lastAck.accumulateAndGet(System.nanoTime(), Math::max)));
        }
        return new SentBatch(batch, acks, outputs.deadLetters(), start, lastAck);
    }

    /**
     * The batch's outputs in input order: embeddings, and dead letters for records that cannot be embedded. With
     * {@code oneByOne}, each text gets a forward pass of its own and a text the model fails on is dead-lettered.
     */
    private Outputs embed(List<ConsumerRecord<byte[], byte[]>> batch, boolean oneByOne) {
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
                outputs.add(deadLetters.record(record, rejected.reason(), rejected.detail(), null));
                reasons.add(rejected.reason());
            }
            RuntimeException[] failures = new RuntimeException[tokens.size()];
            float[][] vectors = oneByOne ? embedEach(embedder, tokens, failures) : embedAll(embedder, tokens);
            EmbeddingRecord.ModelRef ref = new EmbeddingRecord.ModelRef(model.name(), model.version());
            for (int i = 0; i < rows.size(); i++) {
                ConsumerRecord<byte[], byte[]> source = batch.get(rows.get(i));
                if (vectors[i] == null) {
                    outputs.set(rows.get(i), deadLetters.record(source, DlqReason.EMBEDDING_FAILED,
                            failures[i].toString(), failures[i]));
                    reasons.add(DlqReason.EMBEDDING_FAILED);
                    continue;
                }
                byte[] value = new EmbeddingRecord(ids.get(i), ref, vectors[i].length, vectors[i]).toJson();
                Headers headers = new RecordHeaders(source.headers().toArray());
                SourceHeaders.add(headers, source);
                outputs.set(rows.get(i), new ProducerRecord<>(settings.outputTopic(), null, source.key(), value,
                        headers));
            }
        }
        return new Outputs(outputs, reasons);
    }

    private static float[][] embedAll(BudgetedEmbedder embedder, List<int[]> tokens) {
        try {
            return embedder.embed(tokens);
        } catch (RuntimeException e) {
            throw new EmbeddingFailedException(e);
        }
    }

    /** Each text alone; a text the model fails on gets a null vector and its failure in {@code failures}. */
    private static float[][] embedEach(BudgetedEmbedder embedder, List<int[]> tokens, RuntimeException[] failures) {
        float[][] vectors = new float[tokens.size()][];
        for (int i = 0; i < tokens.size(); i++) {
            try {
                vectors[i] = embedder.embed(List.of(tokens.get(i)))[0];
            } catch (RuntimeException e) {
                failures[i] = e;
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

    /** The offsets to commit once the batch is done: past each partition's last record. */
    private static Map<TopicPartition, OffsetAndMetadata> offsets(List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
        return offsets;
    }

    private void commit(List<ConsumerRecord<byte[], byte[]>> batch) {
        try {
            consumer.commitSync(offsets(batch));
        } catch (CommitFailedException e) {
            // the group moved the partitions elsewhere meanwhile: their new owner processes these records again
            LOG.warn("commit failed after a rebalance, {} records will be delivered again: {}", batch.size(),
                    e.getMessage());
        }
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** Seeks the records' partitions back to their first records and drops what was polled after them. */
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
            if (halted) {
                return;
            }
            try {
                if (!pending.isEmpty()) {
                    process(pending.size());
                }
                settleInFlight();
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
