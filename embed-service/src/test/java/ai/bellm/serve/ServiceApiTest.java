package ai.bellm.serve;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;

import ai.bellm.testing.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
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

    @BeforeEach
    void awaitReady() throws InterruptedException {
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
    void modelEndpointOpenApiAndMetrics() {
        given().get("/model").then().statusCode(200)
                .body("loaded", equalTo(true)).body("name", equalTo("tiny")).body("version", equalTo("local"))
                .body("dim", equalTo(64)).body("loadedAt", containsString("T"));
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
        String bootstrap = ConfigProvider.getConfig().getValue("bellm.kafka.bootstrap-servers", String.class);
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
             KafkaTestClient.Reader reader = kafka.reader(ServiceTestResources.OUTPUT)) {
            kafka.send(List.of(new ProducerRecord<>(ServiceTestResources.INPUT,
                    "key-1".getBytes(StandardCharsets.UTF_8),
                    "{\"id\": \"doc-1\", \"text\": \"hello kafka\"}".getBytes(StandardCharsets.UTF_8))));
            ConsumerRecord<byte[], byte[]> out = reader.read(1, Duration.ofMinutes(1)).get(0);
            EmbeddingRecord record = EmbeddingRecord.fromJson(out.value());
            assertThat(record.id()).isEqualTo("doc-1");
            assertThat(record.model()).isEqualTo(new EmbeddingRecord.ModelRef("tiny", "local"));
            assertThat(record.embedding()).hasSize(64);
        }
        given().get("/q/metrics").then().body(containsString("bellm_records_total{outcome=\"embedded\"} 1.0"));
    }
}
