package io.stillwater.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.config.StillwaterProperties;
import io.stillwater.embedded.CameraSimulator;
import io.stillwater.job.JobSpecs;
import io.stillwater.processing.InstanceId;
import io.stillwater.image.ImageFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Cameras through the whole service: the camera simulator started with it plays five cameras over real
 * HTTP, captures go through the capture queue of the embedded broker, stills are stored in the real S3
 * server and rendered by the processing workers. Each test uses cameras of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    "stillwater.security.operator.username=ops",
    "stillwater.security.operator.password=s3cret-for-tests",
    "stillwater.cameras.simulator.cameras=pen-1,pen-2,pen-3,pen-4,sched",
    "stillwater.cameras.simulator.width=640",
    "stillwater.cameras.simulator.height=360",
    "stillwater.cameras.simulator.latency=20ms",
    "stillwater.cameras.health-interval=300ms",
    "stillwater.cameras.schedule-tick=500ms",
    "stillwater.cameras.concurrency=2",
    "stillwater.cameras.max-stills=10",
    "stillwater.cameras.retry.max-attempts=3",
    "stillwater.cameras.retry.delay=200ms",
    "stillwater.cameras.retry.multiplier=1",
    "stillwater.cameras.retry.max-delay=200ms",
    "camel.main.name=cameras-test"
})
class CamerasTest extends ServiceTest {

    private static final int SIMULATOR_PORT = freePort();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Webhook bodies received, for the callback test. */
    private static final List<String> CALLBACKS = new CopyOnWriteArrayList<>();
    private static final HttpServer RECEIVER = receiver();

    @DynamicPropertySource
    static void cameras(DynamicPropertyRegistry registry) {
        registry.add("stillwater.cameras.simulator.port", () -> SIMULATOR_PORT);
        registry.add("stillwater.fetch.allow-hosts", () -> "127.0.0.1:" + RECEIVER.getAddress().getPort());
        String[] ids = {"pen-1", "pen-2", "pen-3", "pen-4", "sched"};
        for (int i = 0; i < ids.length; i++) {
            String prefix = "stillwater.cameras.registry[" + i + "].";
            String id = ids[i];
            registry.add(prefix + "id", () -> id);
            registry.add(prefix + "name", () -> "Camera " + id);
            registry.add(prefix + "base-url", () -> "http://127.0.0.1:" + SIMULATOR_PORT + "/cameras/" + id);
            registry.add(prefix + "max-captures-per-minute", () -> 60);
            registry.add(prefix + "timeout", () -> "2s");
        }
        registry.add("stillwater.cameras.registry[0].username", () -> "farm");
        registry.add("stillwater.cameras.registry[0].password", () -> "pen-secret");
        registry.add("stillwater.cameras.registry[4].schedule.every", () -> "PT1S");
    }

    @Autowired
    CameraSimulator simulator;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StillwaterProperties properties;

    @Autowired
    JobSpecs specs;

    @Autowired
    CaptureIntake intake;

    private ServiceClient client;
    private ServiceClient operator;

    @BeforeEach
    void clients() {
        client = client();
        operator = ServiceClient.as(port, "ops", "s3cret-for-tests");
    }

    @Test
    void theRegistryListsEveryCameraWithItsLiveStateButNeverItsAddressOrCredentials() {
        await().atMost(Duration.ofSeconds(10)).until(() -> state("pen-1").equals("online"));

        ServiceClient.Answer list = client.get("/api/v1/cameras");
        assertThat(list.status()).isEqualTo(200);
        JsonNode pen1 = camera(list.body(), "pen-1");
        assertThat(pen1.path("name").asText()).isEqualTo("Camera pen-1");
        assertThat(pen1.path("maxCapturesPerMinute").asInt()).isEqualTo(60);
        assertThat(OffsetDateTime.parse(pen1.path("lastCheckedAt").asText())).isNotNull();
        assertThat(pen1.has("lastCaptureAt")).as("present, null until a capture").isTrue();
        assertThat(pen1.has("lastError")).isTrue();
        assertThat(pen1.get("schedule").isNull()).isTrue();
        assertThat(camera(list.body(), "sched").path("schedule").path("every").asText()).isEqualTo("PT1S");
        assertThat(list.text()).doesNotContain("127.0.0.1", "pen-secret", "farm", "baseUrl", "cameras/pen-1");

        assertThat(operator.get("/api/v1/cameras").status()).isEqualTo(200);
        assertThat(anonymous().get("/api/v1/cameras").status()).isEqualTo(401);
        assertThat(operator.send(HttpMethod.POST, "/api/v1/cameras/pen-1/captures", "{}").status())
                .as("operators read cameras; capturing needs an API key").isEqualTo(403);
    }

    @Test
    void stillsRequestedAtOnceArriveAtTheCamerasRateWhileAnotherCameraIsNotHeldBack() {
        long start = System.currentTimeMillis();
        ServiceClient.Answer five = capture("pen-1", "{\"count\": 5, \"preset\": \"thumbnail\"}");
        ServiceClient.Answer one = capture("pen-2", "{\"count\": 1, \"preset\": \"thumbnail\"}");
        long pen2Accepted = System.currentTimeMillis();

        assertThat(five.status()).as(five.text()).isEqualTo(202);
        assertThat(five.body().path("jobs")).hasSize(5);
        assertThat(five.body().path("jobs").get(0).path("status").asText()).isEqualTo("queued");
        assertThat(five.body().path("jobs").get(0).path("source").path("kind").asText()).isEqualTo("camera");
        List<String> ids = new ArrayList<>(ids(five));
        ids.addAll(ids(one));
        ids.forEach(id -> client.awaitStatus(id, "succeeded"));

        List<Long> pen1 = since(start, simulator.requests("pen-1"));
        List<Long> pen2 = since(start, simulator.requests("pen-2"));
        assertThat(pen1).hasSize(5);
        // One a second: each gap is the interval less the jitter between our clock and the camera's receipt
        // (the first request to a camera also opens its client), and five stills span four intervals.
        for (int i = 1; i < pen1.size(); i++) {
            assertThat(pen1.get(i) - pen1.get(i - 1)).as("gap before still %d of pen-1 (60 a minute)", i)
                    .isGreaterThanOrEqualTo(800);
        }
        assertThat(pen1.get(4) - pen1.get(0)).as("span of pen-1's five stills").isGreaterThanOrEqualTo(3800);
        assertThat(pen2).hasSize(1);
        // pen-1's backlog takes 4 s at its rate; pen-2's still does not wait behind it.
        assertThat(pen2.get(0)).as("pen-2 is not held back by pen-1's rate").isLessThan(pen1.get(4))
                .isLessThan(pen2Accepted + 2000);

        JsonNode job = client.job(ids.get(0));
        assertThat(job.path("source").path("kind").asText()).isEqualTo("camera");
        assertThat(job.path("source").path("cameraId").asText()).isEqualTo("pen-1");
        assertThat(job.path("source").path("width").asInt()).isEqualTo(640);
        OffsetDateTime capturedAt = OffsetDateTime.parse(job.path("source").path("capturedAt").asText());
        assertThat(capturedAt.toInstant().toEpochMilli()).isBetween(start, System.currentTimeMillis());
        JsonNode output = job.path("outputs").get(0);
        HttpResponse<byte[]> download = client.download(output.path("url").asText());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(ImageFormat.sniff(download.body())).contains(ImageFormat.JPEG);
        assertThat(output.path("width").asInt()).isEqualTo(256);

        assertThat(camera(client.get("/api/v1/cameras").body(), "pen-1").path("lastCaptureAt").isTextual()).isTrue();
        // pen-1 is configured with credentials, pen-2 without.
        assertThat(simulator.lastAuthorization("pen-1")).isEqualTo("Basic "
                + java.util.Base64.getEncoder().encodeToString("farm:pen-secret".getBytes(StandardCharsets.UTF_8)));
        assertThat(simulator.lastAuthorization("pen-2")).isNull();
    }

    @Test
    void stillsOfARequestAreCapturedTheirIntervalApart() {
        long start = System.currentTimeMillis();
        ServiceClient.Answer two = capture("pen-2", "{\"count\": 2, \"intervalSeconds\": 2}");

        assertThat(two.status()).as(two.text()).isEqualTo(202);
        JsonNode jobs = two.body().path("jobs");
        OffsetDateTime first = OffsetDateTime.parse(jobs.get(0).path("source").path("dueAt").asText());
        OffsetDateTime second = OffsetDateTime.parse(jobs.get(1).path("source").path("dueAt").asText());
        assertThat(Duration.between(first, second)).isEqualTo(Duration.ofSeconds(2));
        ids(two).forEach(id -> client.awaitStatus(id, "succeeded"));

        List<Long> requests = since(start, simulator.requests("pen-2"));
        assertThat(requests).hasSize(2);
        // Scheduled delivery: the second still is not asked for before it is due.
        assertThat(requests.get(1)).isGreaterThanOrEqualTo(second.toInstant().toEpochMilli() - 50);
        assertThat(requests.get(1) - requests.get(0)).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aCaptureTheCameraFailsIsTriedAgainAndSucceeds() {
        long start = System.currentTimeMillis();
        simulator.failNext("pen-3", 2);

        String id = ids(capture("pen-3", "{}")).get(0);

        JsonNode job = client.awaitStatus(id, "succeeded");
        assertThat(since(start, simulator.requests("pen-3"))).hasSize(3);
        assertThat(job.path("source").path("capturedAt").isTextual()).isTrue();
        assertThat(details(job)).anyMatch(detail -> detail.startsWith("capture attempt 1 failed (the camera answered 503"))
                .anyMatch(detail -> detail.startsWith("capture attempt 2 failed"))
                .anyMatch(detail -> detail.startsWith("captured from camera pen-3"));
        assertThat(camera(client.get("/api/v1/cameras").body(), "pen-3").path("lastError").path("code").asText())
                .isEqualTo("camera-unreachable");
    }

    @Test
    void anOfflineCameraShowsOfflineAndItsStillsDeadLetterAsCameraUnreachableUntilReplayed() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> state("pen-4").equals("online"));
        assertThat(online("pen-4")).isEqualTo(1.0);
        simulatorAdmin("/admin/cameras/pen-4/offline");

        await().atMost(Duration.ofSeconds(10)).until(() -> state("pen-4").equals("offline"));
        assertThat(online("pen-4")).isEqualTo(0.0);
        long start = System.currentTimeMillis();
        String id = ids(capture("pen-4", "{\"priority\": \"urgent\"}")).get(0);
        // Meanwhile another camera's still is captured and rendered: the offline camera holds no worker.
        String other = ids(capture("pen-3", "{\"priority\": \"urgent\"}")).get(0);
        client.awaitStatus(other, "succeeded");

        JsonNode job = client.awaitStatus(id, "dead_lettered");
        assertThat(job.path("error").path("code").asText()).isEqualTo("camera-unreachable");
        assertThat(job.path("error").path("message").asText()).contains("pen-4", "503", "attempt 3");
        assertThat(since(start, simulator.requests("pen-4"))).as("the retry budget: 3 attempts").hasSize(3);
        JsonNode deadLetters = operator.get("/api/v1/dead-letters?reason=camera-unreachable").body().path("items");
        JsonNode entry = StreamSupport.stream(deadLetters.spliterator(), false)
                .filter(item -> item.path("jobId").asText().equals(id)).findFirst().orElseThrow();
        assertThat(entry.path("queue").asText()).isEqualTo("stillwater.captures");

        simulatorAdmin("/admin/cameras/pen-4/online");
        await().atMost(Duration.ofSeconds(10)).until(() -> state("pen-4").equals("online"));
        assertThat(online("pen-4")).isEqualTo(1.0);
        assertThat(operator.post("/api/v1/dead-letters/" + id + "/replay").status()).isEqualTo(200);

        JsonNode replayed = client.awaitStatus(id, "succeeded");
        assertThat(replayed.path("source").path("capturedAt").isTextual()).isTrue();
        assertThat(client.download(replayed.path("outputs").get(0).path("url").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void aScheduleMakesBackgroundCaptureJobsAndASecondInstanceNeverFiresTheSameSlot() {
        // A second instance's schedules on the same database, firing whatever slots it claims.
        CameraSchedules second = new CameraSchedules(jdbc, properties, specs, new InstanceId(properties));
        long until = System.currentTimeMillis() + 3000;
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            second.due().forEach(intake::submit);
            return System.currentTimeMillis() > until;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> scheduled("succeeded").size() >= 3);

        JsonNode job = scheduled("succeeded").get(0);
        assertThat(job.path("priority").asText()).isEqualTo("background");
        assertThat(job.path("source").path("kind").asText()).isEqualTo("camera");
        assertThat(OffsetDateTime.parse(job.path("source").path("dueAt").asText()).getNano())
                .as("on the second, as PT1S slots are").isZero();
        assertThat(job.path("metadata").path("schedule").asText()).isEqualTo("true");
        List<String> slots = new ArrayList<>();
        for (String status : List.of("queued", "processing", "succeeded")) {
            scheduled(status).forEach(each -> slots.add(each.path("source").path("dueAt").asText()));
        }
        assertThat(slots).as("one job per slot, whichever instance claimed it").doesNotHaveDuplicates();
    }

    @Test
    void aCapturedStillsJobIsAnnouncedToItsCallbackWithADownloadLink() throws Exception {
        String callback = "http://127.0.0.1:" + RECEIVER.getAddress().getPort() + "/hooks/farm";
        String id = ids(capture("pen-3", "{\"callbackUrl\": \"" + callback + "\", \"preset\": \"thumbnail\"}")).get(0);

        client.awaitStatus(id, "succeeded");
        String body = await().atMost(Duration.ofSeconds(30)).until(() -> CALLBACKS.stream()
                .filter(text -> text.contains("\"" + id + "\"")).findFirst().orElse(null), java.util.Objects::nonNull);

        JsonNode hook = JSON.readTree(body);
        assertThat(hook.path("event").asText()).isEqualTo("job.succeeded");
        assertThat(hook.path("job").path("source").path("kind").asText()).isEqualTo("camera");
        assertThat(hook.path("job").path("source").path("cameraId").asText()).isEqualTo("pen-3");
        HttpResponse<byte[]> download = client.download(hook.path("job").path("outputs").get(0).path("url").asText());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(ImageFormat.sniff(download.body())).contains(ImageFormat.JPEG);
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.stop(0);
    }

    private static HttpServer receiver() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hooks/", exchange -> {
                try (exchange) {
                    CALLBACKS.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(204, -1);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aCaptureRequestIsValidatedFieldByField() {
        assertProblem(capture("pen-1", "{\"count\": 0}"), 400, "count");
        assertProblem(capture("pen-1", "{\"count\": 11}"), 400, "count");
        assertProblem(capture("pen-1", "{\"count\": \"three\"}"), 400, "count");
        assertProblem(capture("pen-1", "{\"intervalSeconds\": -1}"), 400, "intervalSeconds");
        assertProblem(capture("pen-1", "{\"intervalSeconds\": 7200}"), 400, "intervalSeconds");
        assertProblem(capture("pen-1", "{\"preset\": \"poster\"}"), 400, "preset");
        assertProblem(capture("pen-1", "{\"priority\": \"asap\"}"), 400, "priority");
        assertProblem(capture("pen-1", "{\"colour\": \"red\"}"), 400, "colour");
        assertProblem(capture("pen-1", "[1]"), 400, "body");
        ServiceClient.Answer unknown = capture("pen-9", "{}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType().toString()).startsWith("application/problem+json");
    }

    @Test
    void aRepeatedRequestWithTheSameIdempotencyKeyGetsTheSameJobs() {
        String body = "{\"count\": 2, \"intervalSeconds\": 30}";
        ServiceClient.Answer first = client.send(HttpMethod.POST, "/api/v1/cameras/pen-3/captures", body,
                "Idempotency-Key", "treatment-42");
        ServiceClient.Answer again = client.send(HttpMethod.POST, "/api/v1/cameras/pen-3/captures", body,
                "Idempotency-Key", "treatment-42");
        ServiceClient.Answer elsewhere = client.send(HttpMethod.POST, "/api/v1/cameras/pen-2/captures", body,
                "Idempotency-Key", "treatment-42");

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.headers().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(ids(again)).isEqualTo(ids(first)).hasSize(2);
        assertThat(elsewhere.status()).isEqualTo(422);
        // The second still is due in 30 s: cancel both so nothing is left waiting.
        ids(first).forEach(id -> client.delete("/api/v1/jobs/" + id));
    }

    private ServiceClient.Answer capture(String camera, String json) {
        return client.send(HttpMethod.POST, "/api/v1/cameras/" + camera + "/captures", json);
    }

    private static void assertProblem(ServiceClient.Answer answer, int status, String field) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.contentType().toString()).startsWith("application/problem+json");
        assertThat(answer.body().path("field").asText()).as(answer.text()).isEqualTo(field);
    }

    private static List<String> ids(ServiceClient.Answer answer) {
        return StreamSupport.stream(answer.body().path("jobs").spliterator(), false)
                .map(job -> job.path("id").asText()).toList();
    }

    private static List<Long> since(long start, List<Long> requests) {
        return requests.stream().filter(at -> at >= start).toList();
    }

    private static List<String> details(JsonNode job) {
        return StreamSupport.stream(job.path("history").spliterator(), false)
                .map(event -> event.path("detail").asText()).toList();
    }

    private List<JsonNode> scheduled(String status) {
        JsonNode items = client.get("/api/v1/jobs?limit=100&priority=background&status=" + status).body().path("items");
        return StreamSupport.stream(items.spliterator(), false)
                .filter(job -> job.path("source").path("cameraId").asText().equals("sched")).toList();
    }

    private String state(String camera) {
        return camera(client.get("/api/v1/cameras").body(), camera).path("state").asText();
    }

    private double online(String camera) {
        return meters.get("stillwater.camera.online").tag("camera", camera).gauge().value();
    }

    private static JsonNode camera(JsonNode list, String id) {
        return StreamSupport.stream(list.path("items").spliterator(), false)
                .filter(item -> item.path("id").asText().equals(id)).findFirst().orElseThrow();
    }

    /** The simulator's own admin API, over HTTP as a tester would call it. */
    private static void simulatorAdmin(String path) throws Exception {
        HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + SIMULATOR_PORT + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(204);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
