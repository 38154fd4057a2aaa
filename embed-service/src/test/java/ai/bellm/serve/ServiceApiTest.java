package ai.bellm.serve;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;

import ai.bellm.testing.KafkaTestClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The whole application: REST, OpenAPI, health, metrics, and the Kafka pipeline it wires up. */
@QuarkusTest
@Tag("quarkus") // runs in a JVM of its own (see the pom): DJL's native library binds to one class loader
@TestProfile(ServiceTestProfile.class)
class ServiceApiTest {

    @TestHTTPResource("/v1/embeddings")
    URI openAiEmbeddings;

    @BeforeEach
    void awaitReady() throws InterruptedException {
        // every request of these tests brings the key, unless it says otherwise
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", "Bearer " + ServiceTestResources.API_KEY).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (given().get("/q/health/ready").statusCode() != 200) {
            assertThat(System.nanoTime()).as("ready within a minute").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void readinessNamesTheModel() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks[0].name", equalTo("model"))
                .body("checks[0].data.version", equalTo("local"));
    }

    @Test
    void livenessIsUpWhileThePipelineAndTheLoaderRun() {
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'background-parts' }.status", equalTo("UP"));
    }

    @Test
    void embedsOneTextOrABatch() {
        given().contentType(ContentType.JSON).body("{\"inputs\": \"A man plays a guitar.\"}")
                .post("/embed").then().statusCode(200)
                .body("dim", equalTo(64)).body("embeddings", hasSize(1)).body("embeddings[0]", hasSize(64))
                .body("model.name", equalTo("tiny")).body("model.version", equalTo("local"))
                .body("tokens", greaterThan(0));
        JsonPath batch = given().contentType(ContentType.JSON)
                .body("{\"inputs\": [\"one\", \"two\", \"three\"], \"normalize\": true}")
                .post("/embed").then().statusCode(200).extract().jsonPath();
        List<List<Float>> vectors = batch.getList("embeddings");
        assertThat(vectors).hasSize(3);
        double norm = Math.sqrt(vectors.get(1).stream().mapToDouble(x -> x * x).sum());
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void overlongInputIsRejectedUnlessTruncated() {
        String longText = "x".repeat(ServiceTestResources.MAX_TOKENS + 10);
        given().contentType(ContentType.JSON).body("{\"inputs\": \"" + longText + "\"}")
                .post("/embed").then().statusCode(413).body("error", containsString("over the limit"));
        given().contentType(ContentType.JSON).body("{\"inputs\": \"" + longText + "\", \"truncate\": true}")
                .post("/embed").then().statusCode(200).body("tokens", equalTo(ServiceTestResources.MAX_TOKENS));
        given().contentType(ContentType.JSON).body("{\"inputs\": []}").post("/embed").then().statusCode(400);
    }

    @Test
    void openAiEmbeddingsHaveOpenAisShape() {
        JsonPath floats = given().contentType(ContentType.JSON)
                .body("{\"input\": [\"first\", \"second\"], \"model\": \"any\", \"encoding_format\": \"float\"}")
                .post("/v1/embeddings").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data", hasSize(2))
                .body("data[1].object", equalTo("embedding"))
                .body("data[1].index", equalTo(1))
                .body("data[1].embedding", hasSize(64))
                .body("model", equalTo("tiny/local"))
                .body("usage.prompt_tokens", greaterThan(0))
                .extract().jsonPath();
        assertThat(floats.getInt("usage.total_tokens")).isEqualTo(floats.getInt("usage.prompt_tokens"));

        // the same inputs as above, so that only the encoding differs (a vector's last bits may depend on the batch's
        // row count: MKL picks its kernels by it on some CPUs)
        String base64 = given().contentType(ContentType.JSON)
                .body("{\"input\": [\"first\", \"second\"], \"encoding_format\": \"base64\"}")
                .post("/v1/embeddings").then().statusCode(200).extract().path("data[0].embedding");
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        List<Float> expected = floats.getList("data[0].embedding", Float.class);
        for (float value : expected) {
            assertThat(bytes.getFloat()).isEqualTo(value);
        }
        given().contentType(ContentType.JSON).body("{\"input\": \"x\", \"encoding_format\": \"int8\"}")
                .post("/v1/embeddings").then().statusCode(400);
    }

    @Test
    void aMillionInputsAreRefusedWithinASecondWhileKafkaRecordsKeepFlowing() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("the pom runs this test with -Xmx512m")
                .isLessThanOrEqualTo(512L << 20);
        String millionInputs = "{\"input\": [" + String.join(",", Collections.nCopies(1_000_000, "\"a\"")) + "]}";
        String bootstrap = ConfigProvider.getConfig().getValue("bellm.kafka.bootstrap-servers", String.class);
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
             KafkaTestClient.Reader reader = kafka.reader(ServiceTestResources.OUTPUT)) {
            kafka.send(List.of(textRecord("before")));
            HttpRequest request = HttpRequest.newBuilder(openAiEmbeddings).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + ServiceTestResources.API_KEY)
                    .expectContinue(true)
                    .POST(HttpRequest.BodyPublishers.ofString(millionInputs)).build();
            long start = System.nanoTime();
            HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answer.statusCode()).isEqualTo(413);
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            kafka.send(List.of(textRecord("after")));
            assertThat(readIds(reader, "before", "after")).contains("before", "after");
        }
    }

    @Test
    void requestsOverTheInputOrTokenLimitAreRefusedInOpenAisErrorShape() {
        String tooMany = "{\"input\": [" + String.join(",", Collections.nCopies(2049, "\"a\"")) + "]}";
        given().contentType(ContentType.JSON).body(tooMany).post("/v1/embeddings").then().statusCode(413)
                .body("error.code", equalTo("too_many_inputs"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("2049 inputs in one request, over the limit of 2048"));

        String text = "a sentence of some length, " + "repeated ".repeat(10);
        int tokens = given().contentType(ContentType.JSON).body("{\"inputs\": \"" + text + "\"}").post("/embed")
                .then().statusCode(200).extract().path("tokens");
        String longText = "\"" + text + "\"";
        int inputs = ServiceTestResources.MAX_REQUEST_TOKENS / tokens + 1;
        given().contentType(ContentType.JSON)
                .body("{\"inputs\": [" + String.join(",", Collections.nCopies(inputs, longText)) + "]}")
                .post("/embed").then().statusCode(413)
                .body("code", equalTo("too_many_tokens"))
                .body("error", containsString("more than " + ServiceTestResources.MAX_REQUEST_TOKENS + " tokens"));

        given().contentType(ContentType.JSON).body("{\"input\": [\"unclosed").post("/v1/embeddings").then()
                .statusCode(400).body("error.code", equalTo("invalid_json"));
        given().contentType(ContentType.JSON).body("{\"input\": {\"text\": 1}}").post("/v1/embeddings").then()
                .statusCode(400).body("error.code", equalTo("invalid_json"));
        given().contentType(ContentType.JSON).body("{\"inputs\": {\"text\": 1}}").post("/embed").then()
                .statusCode(400).body("code", equalTo("invalid_json"));
        given().get("/q/metrics").then()
                .body(containsString("bellm_rest_rejected_total{reason=\"too-many-inputs\"}"))
                .body(containsString("bellm_rest_rejected_total{reason=\"too-many-tokens\"}"));
    }

    @Test
    void requestsBeyondTheQueueAreAnswered429WithRetryAfter() throws Exception {
        String body = "{\"input\": [" + String.join(",", Collections.nCopies(16, "\"a sentence of a few words\""))
                + "]}";
        int clients = 12;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<io.restassured.response.Response> answers = new ArrayList<>();
            for (int round = 0; round < 5 && answers.stream().noneMatch(a -> a.statusCode() == 429); round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<io.restassured.response.Response>> calls = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    calls.add(pool.submit(() -> {
                        go.await();
                        return given().contentType(ContentType.JSON).body(body).post("/v1/embeddings");
                    }));
                }
                go.countDown();
                for (Future<io.restassured.response.Response> call : calls) {
                    answers.add(call.get(1, TimeUnit.MINUTES));
                }
            }
            assertThat(answers).extracting(io.restassured.response.Response::statusCode).containsOnly(200, 429)
                    .contains(200, 429);
            io.restassured.response.Response refused = answers.stream().filter(a -> a.statusCode() == 429)
                    .findFirst().orElseThrow();
            assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
            assertThat(refused.jsonPath().getString("error.type")).isEqualTo("rate_limit_error");
            assertThat(refused.jsonPath().getString("error.code")).isEqualTo("overloaded");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void requestsWithoutAValidApiKeyAreRefused401WhileProbesStayOpen() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String authorization : new String[] {null, "Bearer wrong-key", ServiceTestResources.API_KEY}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(openAiEmbeddings)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"input\": \"hello\"}"));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("Authorization: %s", authorization).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(JsonPath.from(answer.body()).getString("error.code")).isEqualTo("invalid_api_key");
        }
        HttpResponse<String> model = http.send(HttpRequest.newBuilder(openAiEmbeddings.resolve("/model")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(model.statusCode()).isEqualTo(401);
        assertThat(JsonPath.from(model.body()).getString("code")).isEqualTo("invalid_api_key");
        for (String open : new String[] {"/q/health/ready", "/q/health/live", "/q/metrics", "/q/openapi"}) {
            assertThat(http.send(HttpRequest.newBuilder(openAiEmbeddings.resolve(open)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).as(open).isEqualTo(200);
        }
        given().contentType(ContentType.JSON).body("{\"input\": \"hello\"}").post("/v1/embeddings").then()
                .statusCode(200);
    }

    private static ProducerRecord<byte[], byte[]> textRecord(String id) {
        return new ProducerRecord<>(ServiceTestResources.INPUT, id.getBytes(StandardCharsets.UTF_8),
                ("{\"id\": \"" + id + "\", \"text\": \"hello " + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void modelEndpointOpenApiAndMetrics() {
        given().get("/model").then().statusCode(200)
                .body("loaded", equalTo(true)).body("name", equalTo("tiny")).body("version", equalTo("local"))
                .body("dim", equalTo(64)).body("precision", equalTo("f32")).body("loadedAt", containsString("T"));
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/embeddings")).body(containsString("/embed")).body(containsString("/model"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("bellm_records_total"))
                .body(containsString("bellm_batch_size"))
                .body(containsString("bellm_batch_latency_seconds"))
                .body(containsString("bellm_consumer_lag"))
                .body(containsString("bellm_model_version 0.0"));
    }

    @Test
    void theKafkaPipelineRunsInTheApplication() {
        double embeddedBefore = embeddedRecords();
        String bootstrap = ConfigProvider.getConfig().getValue("bellm.kafka.bootstrap-servers", String.class);
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
             KafkaTestClient.Reader reader = kafka.reader(ServiceTestResources.OUTPUT)) {
            kafka.send(List.of(new ProducerRecord<>(ServiceTestResources.INPUT,
                    "key-1".getBytes(StandardCharsets.UTF_8),
                    "{\"id\": \"doc-1\", \"text\": \"hello kafka\"}".getBytes(StandardCharsets.UTF_8))));
            EmbeddingRecord record = reader.readUntil(r -> r.stream().anyMatch(o -> id(o).equals("doc-1")),
                    Duration.ofMinutes(1)).stream().map(o -> EmbeddingRecord.fromJson(o.value()))
                    .filter(r -> r.id().equals("doc-1")).findFirst().orElseThrow();
            assertThat(record.model()).isEqualTo(new EmbeddingRecord.ModelRef("tiny", "local"));
            assertThat(record.embedding()).hasSize(64);
        }
        assertThat(embeddedRecords()).isEqualTo(embeddedBefore + 1);
    }

    /** The ids of the output records read until every one of {@code ids} is among them. */
    private static List<String> readIds(KafkaTestClient.Reader reader, String... ids) {
        return reader.readUntil(r -> r.stream().map(ServiceApiTest::id).toList().containsAll(List.of(ids)),
                Duration.ofMinutes(1)).stream().map(ServiceApiTest::id).toList();
    }

    private static String id(ConsumerRecord<byte[], byte[]> output) {
        return EmbeddingRecord.fromJson(output.value()).id();
    }

    private static double embeddedRecords() {
        String line = given().get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("bellm_records_total{outcome=\"embedded\"}")).findFirst().orElseThrow();
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
