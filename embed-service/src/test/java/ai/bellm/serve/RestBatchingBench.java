package ai.bellm.serve;

import ai.bellm.embed.SentenceEmbedder;
import ai.bellm.testing.ConfigMappings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Run by {@code bench/rest-batching.sh}, not by the test run: {@code -Dbench.clients} callers each send one-sentence
 * requests, as chat front ends and RAG pipelines do, through the service's {@link RequestBatcher} with a real model
 * ({@code -Dbench.model}) and the service's settings. Baseline: the same batcher with gathering off (every request
 * its own forward pass). The two alternate for {@code -Dbench.rounds} rounds; sentences/s, request latency p50 and
 * p95, and the median of the rounds' throughput ratios are printed as a Markdown table. HTTP is left out: it costs
 * both the same.
 */
class RestBatchingBench {

    @Test
    void gatheredRequestsVersusOneRequestPerPass() throws Exception {
        Path modelPath = Path.of(System.getProperty("bench.model"));
        List<String> sentences = Files.readAllLines(Path.of(System.getProperty("bench.sentences")));
        int clients = Integer.getInteger("bench.clients", 16);
        int rounds = Integer.getInteger("bench.rounds", 5);
        ServiceConfig defaults = ConfigMappings.load(ServiceConfig.class, Map.of());
        int maxBatchTokens = defaults.embedding().maxBatchTokens();
        LoadedModel model = new ModelLoader(null, null, ModelLoader.limits(defaults.embedding()))
                .loadLocal(modelPath, "smollm2");
        SentenceEmbedder tokenizer = model.embedder(false, false);
        RequestBatcher.Embedder<LoadedModel> embedder = EmbeddingService.passes(maxBatchTokens);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (RequestBatcher<LoadedModel> gathering = new RequestBatcher<>(embedder, maxBatchTokens, clients,
                new ServiceMetrics(new SimpleMeterRegistry()));
             RequestBatcher<LoadedModel> single = new RequestBatcher<>(embedder, 0, clients,
                     new ServiceMetrics(new SimpleMeterRegistry()))) {
            run(pool, clients, single, model, tokenizer, sentences.subList(0, Math.min(64, sentences.size())));
            run(pool, clients, gathering, model, tokenizer, sentences.subList(0, Math.min(64, sentences.size())));
            double[] ratios = new double[rounds];
            List<Run> singles = new ArrayList<>();
            List<Run> gathered = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                singles.add(run(pool, clients, single, model, tokenizer, sentences));
                gathered.add(run(pool, clients, gathering, model, tokenizer, sentences));
                ratios[round] = gathered.get(round).perSecond() / singles.get(round).perSecond();
                System.out.printf(Locale.ROOT, "round %d: one per pass %.1f, gathered %.1f sentences/s, ratio %.2f%n",
                        round + 1, singles.get(round).perSecond(), gathered.get(round).perSecond(), ratios[round]);
            }
            System.out.printf(Locale.ROOT, "| clients | sentences | one request per pass (sentences/s) | p50 / p95 (ms) "
                    + "| gathered (sentences/s) | p50 / p95 (ms) | gathered / one per pass |%n");
            System.out.printf(Locale.ROOT, "|---:|---:|---:|---:|---:|---:|---:|%n");
            System.out.printf(Locale.ROOT, "| %d | %d | %.1f | %.0f / %.0f | %.1f | %.0f / %.0f | %.2f |%n", clients,
                    sentences.size(), Run.median(singles, Run::perSecond), Run.median(singles, Run::p50),
                    Run.median(singles, Run::p95), Run.median(gathered, Run::perSecond),
                    Run.median(gathered, Run::p50), Run.median(gathered, Run::p95), median(ratios));
        } finally {
            pool.shutdownNow();
            model.retire();
        }
    }

    /** Throughput and request latency (ms) of one round. */
    private record Run(double perSecond, double p50, double p95) {
        static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> value) {
            return RestBatchingBench.median(runs.stream().mapToDouble(value).toArray());
        }
    }

    /** Every sentence sent once as its own request, {@code clients} requests in flight at a time. */
    private static Run run(ExecutorService pool, int clients, RequestBatcher<LoadedModel> batcher, LoadedModel model,
                           SentenceEmbedder tokenizer, List<String> sentences) throws Exception {
        AtomicInteger next = new AtomicInteger();
        double[] latencies = new double[sentences.size()];
        List<Future<?>> callers = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            callers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < sentences.size(); i = next.getAndIncrement()) {
                    long sent = System.nanoTime();
                    batcher.submit(model, List.of(tokenizer.tokenize(sentences.get(i)))).get();
                    latencies[i] = (System.nanoTime() - sent) / 1e6;
                }
                return null;
            }));
        }
        for (Future<?> caller : callers) {
            caller.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new Run(sentences.size() / seconds, latencies[latencies.length / 2],
                latencies[(int) Math.ceil(latencies.length * 0.95) - 1]);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
