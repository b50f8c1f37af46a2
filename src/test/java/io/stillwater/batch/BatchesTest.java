package io.stillwater.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.SourceServer;
import io.stillwater.TestImages;
import io.stillwater.image.ImageFormat;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * CSV batches through the whole service, the image URLs served by a real HTTP server on loopback.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    "stillwater.retry.max-redeliveries=0",
    "stillwater.batches.max-rows=10000",
    "camel.main.name=batches-test"
})
class BatchesTest extends ServiceTest {

    private static final SourceServer SOURCES = new SourceServer(TestImages.jpeg(400, 300));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void sources(DynamicPropertyRegistry registry) {
        registry.add("stillwater.fetch.allow-hosts", () -> "127.0.0.1:" + SOURCES.port());
    }

    @AfterAll
    static void stopSources() {
        SOURCES.close();
    }

    @Test
    void aBatchBecomesOneJobPerUrlShowsProgressPerRowAndGivesItsCsvBackWithOutputUrls() throws Exception {
        String csv = "\uFEFFS. No.,Product Name,Input Image Urls\r\n"
                + "1,\"Shoe, red\",\"%s, %s\"\r\n".formatted(SOURCES.url("/photo.jpg?b=1"), SOURCES.url("/photo.jpg?b=2"))
                + "2,Missing,%s\r\n".formatted(SOURCES.url("/missing.jpg?b=3"))
                + "3,\"=HYPERLINK(\"\"http://evil.example\"\")\",%s\r\n".formatted(SOURCES.url("/photo.jpg?b=4"));

        ServiceClient.Answer accepted = post(csv, "preset=thumbnail");
        assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
        assertThat(accepted.body().path("rows").asInt()).isEqualTo(3);
        String id = accepted.body().path("id").asText();
        assertThat(accepted.location()).isEqualTo("/api/v1/batches/" + id);

        JsonNode done = awaitCompleted(id);
        assertThat(done.path("counts").path("succeeded").asInt()).isEqualTo(3);
        assertThat(done.path("counts").path("failed").asInt()).isEqualTo(1);
        assertThat(done.path("counts").path("pending").asInt()).isZero();
        assertThat(done.path("items")).extracting(row -> row.path("row").asInt()).containsExactly(2, 3, 4);
        assertThat(done.path("items")).extracting(row -> row.path("state").asText())
                .containsExactly("succeeded", "failed", "succeeded");
        JsonNode firstJob = client().job(done.path("items").get(0).path("jobs").get(0).path("id").asText());
        assertThat(firstJob.path("priority").asText()).as("batches are background work").isEqualTo("background");
        assertThat(firstJob.path("metadata").path("batch").asText()).isEqualTo(id);

        HttpResponse<String> output = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/v1/batches/" + id + "/output.csv"))
                        .header("X-Api-Key", ServiceClient.TEST_API_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(output.statusCode()).isEqualTo(200);
        assertThat(output.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        List<CSVRecord> records = CSVFormat.RFC4180.parse(new StringReader(output.body())).getRecords();
        assertThat(records.get(0).toList()).containsExactly("S. No.", "Product Name", "Input Image Urls",
                "Output Image Urls");
        assertThat(records.get(1).get(1)).isEqualTo("Shoe, red");
        List<String> urls = List.of(records.get(1).get(3).split(", "));
        assertThat(urls).hasSize(2);
        for (String url : urls) {
            HttpResponse<byte[]> rendition = client().download(url);
            assertThat(rendition.statusCode()).isEqualTo(200);
            assertThat(ImageFormat.sniff(rendition.body())).contains(ImageFormat.JPEG);
        }
        assertThat(records.get(2).get(3)).as("the failed row has no output").isEmpty();
        assertThat(records.get(3).get(1)).as("a formula is written as text").isEqualTo("'=HYPERLINK(\"http://evil.example\")");
    }

    @Test
    void aCsvWithMistakesIsRefusedWholeNamingEveryBadRow() {
        String csv = "S. No.,Product Name,Input Image Urls\n"
                + "1,Fine,https://images.example/1.jpg\n"
                + "2,Short\n"
                + "3,Internal,ftp://images.example/3.jpg\n";

        ServiceClient.Answer refused = post(csv, null);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("type").asText()).endsWith("invalid-batch");
        assertThat(refused.body().path("rows")).extracting(row -> row.path("row").asInt()).containsExactly(3, 4);
        assertThat(refused.body().path("rows").get(1).path("message").asText()).contains("ftp");
    }

    @Test
    void batchesNeedAnIntakeApiKey() {
        ServiceClient.Answer anonymous = new ServiceClient(port).post("/api/v1/batches", "text/csv; charset=utf-8",
                "S. No.,Product Name,Input Image Urls\n1,Hat,https://images.example/1.jpg\n");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.headers().getFirst("WWW-Authenticate")).startsWith("ApiKey");
    }

    @Test
    void tenThousandRowsAreAcceptedAtOnceAndTheirJobsFollowInTheBackground() {
        StringBuilder csv = new StringBuilder("S. No.,Product Name,Input Image Urls\n");
        for (int i = 1; i <= 10_000; i++) {
            csv.append(i).append(",Product ").append(i).append(',').append("https://images.example/").append(i)
                    .append(".jpg\n");
        }

        ServiceClient.Answer accepted = post(csv.toString(), "priority=background");

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.body().path("rows").asInt()).isEqualTo(10_000);
        JsonNode batch = client().get("/api/v1/batches/" + accepted.body().path("id").asText() + "?limit=5").body();
        assertThat(batch.path("rows").asInt()).isEqualTo(10_000);
        assertThat(batch.path("items")).hasSize(5);
        assertThat(batch.path("nextCursor").asText()).isEqualTo("6");
    }

    private ServiceClient.Answer post(String csv, String query) {
        return client().post("/api/v1/batches" + (query == null ? "" : "?" + query), "text/csv; charset=utf-8", csv);
    }

    private JsonNode awaitCompleted(String id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> client().get("/api/v1/batches/" + id).body()
                .path("status").asText().equals("completed"));
        return client().get("/api/v1/batches/" + id).body();
    }
}
