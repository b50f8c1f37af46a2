package io.stillwater.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ObjectStoreServer;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.TestImages;
import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The object store (an S3 server of the test's own, not the service's) stops for 30 s while a job of
 * every priority class is being worked on. Each job's worker retries on its own back-off; none ends
 * while the store is gone; when the store returns on the same port and files, every job succeeds on
 * its next retry and its renditions download.
 *
 * <p>The retry delay is 6 s here (the policy otherwise the default: 5 retries, doubling, ±15 %), so
 * the retries fall at about 6 s, 18 s and 42 s after the first attempt: the first two certainly
 * inside the outage, the third certainly after it, whatever the jitter. Each job therefore takes
 * exactly 4 attempts. (With the default 1 s delay the fifth and last retry comes about 27–38 s after
 * the first attempt, so an outage of 30 s may or may not outlast the budget.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.processing.auto-startup=false",
    "stillwater.retry.delay=6s",
    "camel.main.name=object-store-outage-test"
})
class ObjectStoreOutageTest extends ServiceTest {

    private static final Duration OUTAGE = Duration.ofSeconds(30);

    static ObjectStoreServer objects;

    @DynamicPropertySource
    static void objectStore(DynamicPropertyRegistry registry) {
        objects = ObjectStoreServer.start();
        objects.register(registry);
    }

    @AfterAll
    static void stopObjectStore() {
        objects.close();
    }

    @Autowired
    CamelContext camel;

    @Test
    void jobsOfEveryClassRetryThroughAThirtySecondOutageAndAllSucceedWhenTheStoreReturns() throws Exception {
        ServiceClient client = client();
        List<String> ids = new ArrayList<>();
        // Images of different sizes: the same request twice would share one job (the result cache).
        for (String priority : List.of("urgent", "normal", "background")) {
            ServiceClient.Answer accepted = client.uploadRaw(TestImages.jpeg(640 + ids.size(), 480), "image/jpeg",
                    "preset=thumbnail&priority=" + priority);
            assertThat(accepted.status()).isEqualTo(202);
            assertThat(accepted.body().path("priority").asText()).isEqualTo(priority);
            ids.add(accepted.body().path("id").asText());
        }
        assertThat(ids).doesNotHaveDuplicates();

        objects.stop();
        Instant down = Instant.now();
        camel.getRouteController().startAllRoutes();

        // Every job's first attempt fails and its first retry is recorded before it runs.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(ids).allSatisfy(id ->
                assertThat(retries(client.job(id))).isNotEmpty()));
        // For the rest of the 30 s no job ends: they are retrying, not failing or dead-lettered.
        Duration left = OUTAGE.minus(Duration.between(down, Instant.now()));
        await().during(left).atMost(left.plusSeconds(5)).untilAsserted(() -> assertThat(ids).allSatisfy(id ->
                assertThat(client.job(id).path("status").asText()).isEqualTo("processing")));
        objects.restart();
        Duration outage = Duration.between(down, Instant.now());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ids).allSatisfy(id ->
                assertThat(client.job(id).path("status").asText()).isEqualTo("succeeded")));
        assertThat(outage).isBetween(OUTAGE, OUTAGE.plusSeconds(2));
        for (String id : ids) {
            JsonNode job = client.job(id);
            assertThat(job.path("attempts").asInt()).as("attempts of %s", id).isEqualTo(4);
            assertThat(job.path("history").findValuesAsText("status"))
                    .containsExactly("queued", "processing", "processing", "processing", "processing", "succeeded");
            assertThat(retries(job)).hasSize(3).allSatisfy(detail -> assertThat(detail)
                    .contains("127.0.0.1:" + objects.port()));
            assertThat(retries(job).get(0)).startsWith("attempt 2 after: ");
            assertThat(retries(job).get(2)).startsWith("attempt 4 after: ");
            JsonNode thumbnail = job.path("outputs").get(0);
            HttpResponse<byte[]> download = client.download(thumbnail.path("url").asText());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat((long) download.body().length).isEqualTo(thumbnail.path("bytes").asLong());
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(download.body()));
            assertThat(image.getWidth()).isEqualTo(256);
            assertThat(image.getHeight()).isEqualTo(256);
        }
    }

    /** The history entries of the retries: "attempt n after: <reason>". */
    private static List<String> retries(JsonNode job) {
        return job.path("history").findValuesAsText("detail").stream().filter(d -> d.contains(" after: ")).toList();
    }
}
