package io.stillwater.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.stillwater.ObjectStoreServer;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.StreamSupport;
import javax.imageio.ImageIO;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The edge role: the service renders with its embedded (local) store, and the cloud store is an S3
 * server of the test's own that the test stops and starts. While the cloud store is down every still
 * waits, rendered, in the outbox and nothing reaches the cloud; when it returns, the outbox drains by
 * priority (urgent first), at most 2 renditions a second, every job succeeds with links into the cloud
 * store, its callback hears of it, and the local copies are gone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.role=edge",
    "stillwater.storage.embedded.port=0",
    "stillwater.uplink.images-per-second=2",
    "stillwater.uplink.retry-interval=1s",
    "stillwater.webhooks.secret=edge-uplink-test-secret",
    "camel.main.name=edge-uplink-test"
})
class EdgeUplinkTest extends ServiceTest {

    /** Well below what the uplink manages unpaced here (about 5 a second on a busy two-core machine). */
    private static final double IMAGES_PER_SECOND = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectStoreServer cloud;
    static final Receiver RECEIVER = new Receiver();

    @DynamicPropertySource
    static void cloudStore(DynamicPropertyRegistry registry) {
        cloud = ObjectStoreServer.start();
        cloud.registerAsCloudStore(registry);
        registry.add("stillwater.fetch.allow-hosts", () -> "127.0.0.1:" + RECEIVER.port());
    }

    @AfterAll
    static void stopPeers() {
        cloud.close();
        RECEIVER.server.stop(0);
    }

    @Autowired
    CamelContext camel;

    @AfterEach
    void cloudStoreAndUplinkUp() throws Exception {
        cloud.restart();
        if (camel.getRouteController().getRouteStatus("uplink").isSuspended()) {
            camel.getRouteController().resumeRoute("uplink");
        }
    }

    /** The service's local store (the embedded one). */
    @Autowired
    S3Client localStore;

    @Test
    void withTheCloudStoreDownStillsWaitAndWhenItReturnsTheyArriveUrgentFirstAndNothingIsLost() {
        ServiceClient client = client();
        // What the other tests of this class left in the cloud store.
        List<String> before = cloud.keys("stillwater");
        cloud.stop();
        List<String> background = new ArrayList<>();
        List<String> urgent = new ArrayList<>();
        // Different sizes: the same image and spec twice would be one job (the result cache).
        for (int i = 0; i < 6; i++) {
            background.add(submit(client, 600 + i, "background", null));
        }
        for (int i = 0; i < 3; i++) {
            urgent.add(submit(client, 700 + i, "urgent", RECEIVER.url("/hooks/" + i)));
        }
        List<String> all = concat(background, urgent);

        // Every job is rendered and waits for the uplink, still processing; nothing reached the cloud.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(all).allSatisfy(id ->
                assertThat(details(client.job(id))).anySatisfy(detail -> assertThat(detail).endsWith("waiting for the uplink"))));
        assertThat(all).allSatisfy(id -> {
            JsonNode job = client.job(id);
            assertThat(job.path("status").asText()).as("job %s", id).isEqualTo("processing");
            assertThat(job.path("outputs")).as("outputs of %s", id).isEmpty();
        });
        assertThat(cloud.keys("stillwater")).isEqualTo(before);
        assertThat(RECEIVER.received).isEmpty();
        assertThat(localKeys("outbox/")).hasSize(all.size());

        cloud.restart();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(all).allSatisfy(id ->
                assertThat(client.job(id).path("status").asText()).as("job %s", id).isEqualTo("succeeded")));
        List<String> keys = new ArrayList<>();
        for (String id : all) {
            JsonNode job = client.job(id);
            JsonNode thumbnail = job.path("outputs").get(0);
            keys.add(thumbnail.path("key").asText());
            assertThat(thumbnail.path("url").asText()).startsWith(cloud.endpoint() + "/stillwater/renditions/");
            HttpResponse<byte[]> download = client.download(thumbnail.path("url").asText());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat((long) download.body().length).isEqualTo(thumbnail.path("bytes").asLong());
            BufferedImage image = decode(download.body());
            assertThat(image.getWidth()).isEqualTo(256);
            assertThat(image.getHeight()).isEqualTo(256);
            assertThat(job.path("history").findValuesAsText("status")).last().isEqualTo("succeeded");
        }
        // Every rendition is in the cloud store, once, and nothing else is; no local copy is left.
        assertThat(keys).doesNotHaveDuplicates();
        List<String> added = new ArrayList<>(cloud.keys("stillwater"));
        added.removeAll(before);
        assertThat(added).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(localKeys("outbox/")).isEmpty();

        // Urgent first: the last urgent upload began before the first background one.
        OffsetDateTime lastUrgent = urgent.stream().map(id -> uploadedAt(client.job(id))).max(OffsetDateTime::compareTo).orElseThrow();
        OffsetDateTime firstBackground = background.stream().map(id -> uploadedAt(client.job(id))).min(OffsetDateTime::compareTo).orElseThrow();
        assertThat(lastUrgent).isBefore(firstBackground);

        // Each urgent job's callback heard of its success once it was in the cloud, with a working link.
        for (int i = 0; i < urgent.size(); i++) {
            String id = urgent.get(i);
            String path = "/hooks/" + i;
            JsonNode hook = await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.received.get(path), java.util.Objects::nonNull);
            assertThat(hook.path("event").asText()).isEqualTo("job.succeeded");
            assertThat(hook.path("job").path("id").asText()).isEqualTo(id);
            String url = hook.path("job").path("outputs").get(0).path("url").asText();
            assertThat(client.download(url).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theUplinkStartsNoMoreThanTheConfiguredUploadsASecond() throws Exception {
        ServiceClient client = client();
        // Hold the uplink so the whole backlog is waiting when it starts: only the rate can then space it.
        camel.getRouteController().suspendRoute("uplink");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(submit(client, 800 + i, "normal", null));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids).allSatisfy(id ->
                assertThat(details(client.job(id))).anySatisfy(detail -> assertThat(detail).endsWith("waiting for the uplink"))));
        camel.getRouteController().resumeRoute("uplink");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids).allSatisfy(id ->
                assertThat(client.job(id).path("status").asText()).isEqualTo("succeeded")));
        List<OffsetDateTime> starts = ids.stream().map(id -> uploadedAt(client.job(id))).sorted().toList();
        Duration span = Duration.between(starts.get(0), starts.get(starts.size() - 1));
        Duration limit = Duration.ofMillis((long) ((ids.size() - 1) * 1000 / IMAGES_PER_SECOND));
        assertThat(span).isGreaterThanOrEqualTo(limit);
        for (int i = 1; i < starts.size(); i++) {
            assertThat(Duration.between(starts.get(i - 1), starts.get(i)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis((long) (1000 / IMAGES_PER_SECOND)));
        }
    }

    @Test
    void aStillWhoseLocalCopyIsLostFailsWithTheReasonAndTheOutboxBehindItDrains() throws Exception {
        ServiceClient client = client();
        camel.getRouteController().suspendRoute("uplink");
        String lost = submit(client, 900, "urgent", null);
        String after = submit(client, 901, "background", null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(List.of(lost, after)).allSatisfy(id ->
                assertThat(details(client.job(id))).anySatisfy(detail -> assertThat(detail).endsWith("waiting for the uplink"))));
        List<String> copies = localKeys("outbox/" + lost + "/");
        assertThat(copies).hasSize(1);
        localStore.deleteObject(d -> d.bucket("stillwater").key(copies.get(0)));

        camel.getRouteController().resumeRoute("uplink");

        JsonNode failed = client.awaitStatus(lost, "failed");
        assertThat(failed.path("error").path("code").asText()).isEqualTo("uplink-copy-lost");
        assertThat(failed.path("error").path("message").asText()).contains("thumbnail");
        client.awaitStatus(after, "succeeded");
        assertThat(localKeys("outbox/")).isEmpty();
    }

    private static String submit(ServiceClient client, int width, String priority, String callback) {
        String query = "preset=thumbnail&priority=" + priority
                + (callback == null ? "" : "&callbackUrl=" + callback);
        ServiceClient.Answer accepted = client.uploadRaw(TestImages.jpeg(width, 480), "image/jpeg", query);
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        return accepted.body().path("id").asText();
    }

    /** When the job's (only) rendition began its upload, from its history. */
    private static OffsetDateTime uploadedAt(JsonNode job) {
        return StreamSupport.stream(job.path("history").spliterator(), false)
                .filter(entry -> entry.path("detail").asText().contains("to the cloud store"))
                .map(entry -> OffsetDateTime.parse(entry.path("at").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no upload in the history of " + job.path("id").asText()));
    }

    private static List<String> details(JsonNode job) {
        return job.path("history").findValuesAsText("detail");
    }

    private List<String> localKeys(String prefix) {
        return localStore.listObjectsV2(r -> r.bucket("stillwater").prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private static BufferedImage decode(byte[] data) {
        try {
            return ImageIO.read(new ByteArrayInputStream(data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** A callback receiver on loopback: the body each path received, answered 204. */
    static final class Receiver {
        final HttpServer server;
        final Map<String, JsonNode> received = new ConcurrentHashMap<>();

        Receiver() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/hooks/", exchange -> {
                try (exchange) {
                    received.put(exchange.getRequestURI().getPath(), JSON.readTree(exchange.getRequestBody()));
                    exchange.sendResponseHeaders(204, -1);
                }
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        String url(String path) {
            return "http://127.0.0.1:" + port() + path;
        }
    }
}
