package io.stillwater.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.SourceServer;
import io.stillwater.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Webhooks through the whole service, to a real receiver on loopback that checks signatures as a
 * client's would. Failed deliveries are redelivered by the embedded broker (2 s back-off).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    "stillwater.retry.max-redeliveries=0",
    "stillwater.webhooks.secret=" + WebhooksTest.SECRET,
    "camel.main.name=webhooks-test"
})
class WebhooksTest extends ServiceTest {

    static final String SECRET = "receiver-shared-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SourceServer SOURCES = new SourceServer(TestImages.jpeg(320, 240));
    private static final Receiver RECEIVER = new Receiver();

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void peers(DynamicPropertyRegistry registry) {
        registry.add("stillwater.fetch.allow-hosts",
                () -> "127.0.0.1:" + SOURCES.port() + ",127.0.0.1:" + RECEIVER.port());
    }

    @AfterAll
    static void stopPeers() {
        SOURCES.close();
        RECEIVER.server.stop(0);
    }

    @Test
    void aSucceededJobIsAnnouncedOnceSignedWithItsEventId() throws Exception {
        String id = submitUrlJob(SOURCES.url("/photo.jpg?w=1"), RECEIVER.url("/hooks/ok"));

        client().awaitStatus(id, "succeeded");
        Received hook = await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVER.find(id), java.util.Objects::nonNull);

        JsonNode body = JSON.readTree(hook.body());
        assertThat(body.path("event").asText()).isEqualTo("job.succeeded");
        assertThat(body.path("job").path("status").asText()).isEqualTo("succeeded");
        assertThat(body.path("job").path("outputs")).hasSize(1);
        assertThat(hook.eventId()).isEqualTo(body.path("id").asText());
        JsonNode succeededEntry = java.util.stream.StreamSupport.stream(client().job(id).path("history").spliterator(), false)
                .filter(entry -> entry.path("status").asText().equals("succeeded")).findFirst().orElseThrow();
        assertThat(hook.eventId()).as("the history entry it announces").isEqualTo(succeededEntry.path("id").asText());
        assertThat(verified(hook)).as("signature %s", hook.signature()).isTrue();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> RECEIVER.all(id).size() == 1);
    }

    @Test
    void aReceiverThatFailsIsTriedAgainWithTheSameEventUntilItAcknowledges() throws Exception {
        String id = submitUrlJob(SOURCES.url("/missing.jpg?w=2"), RECEIVER.url("/hooks/flaky"));

        client().awaitStatus(id, "failed");
        await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVER.all(id).size() == 2);

        List<Received> tries = RECEIVER.all(id);
        assertThat(tries).extracting(Received::status).containsExactly(500, 204);
        assertThat(tries).extracting(Received::eventId).containsOnly(tries.get(0).eventId());
        assertThat(JSON.readTree(tries.get(1).body()).path("event").asText()).isEqualTo("job.failed");
        await().atMost(Duration.ofSeconds(10)).until(() -> outboxStatus(tries.get(0).eventId()).equals("delivered"));
        assertThat(jdbc.sql("SELECT attempts FROM webhook_events WHERE id = :id").param("id", tries.get(0).eventId())
                .query(Integer.class).single()).isEqualTo(2);
    }

    @Test
    void aCallbackToAnInternalAddressIsRefusedAtIntakeOrNeverCalled() {
        ServiceClient.Answer refused = client().submitJson("""
                {"source": {"url": "%s"}, "callbackUrl": "http://0x7f.1/hook"}""".formatted(SOURCES.url("/photo.jpg")), null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("field").asText()).isEqualTo("callbackUrl");

        // A name for loopback passes the form check, but its address is checked when the call is made.
        String id = submitUrlJob(SOURCES.url("/photo.jpg?w=3"),
                "http://localhost:" + RECEIVER.port() + "/hooks/ok");
        client().awaitStatus(id, "succeeded");
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "SELECT status FROM webhook_events WHERE job_id = :id").param("id", id).query(String.class).list(),
                statuses -> statuses.equals(List.of("refused")));
        assertThat(RECEIVER.all(id)).isEmpty();
    }

    @Test
    void aBatchAnnouncesItsCompletionOnce() throws Exception {
        String csv = "S. No.,Product Name,Input Image Urls\n1,Hat,%s\n2,Cap,%s\n"
                .formatted(SOURCES.url("/photo.jpg?w=4"), SOURCES.url("/photo.jpg?w=5"));
        ServiceClient.Answer accepted = client().post("/api/v1/batches?callbackUrl=" + RECEIVER.url("/hooks/ok"),
                "text/csv; charset=utf-8", csv);
        assertThat(accepted.status()).isEqualTo(202);
        String batch = accepted.body().path("id").asText();

        Received hook = await().atMost(Duration.ofSeconds(60)).until(() -> RECEIVER.find(batch), java.util.Objects::nonNull);

        JsonNode body = JSON.readTree(hook.body());
        assertThat(body.path("event").asText()).isEqualTo("batch.completed");
        assertThat(body.path("batch").path("counts").path("succeeded").asInt()).isEqualTo(2);
        assertThat(verified(hook)).isTrue();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> RECEIVER.all(batch).size() == 1);
    }

    private String submitUrlJob(String url, String callback) {
        ServiceClient.Answer answer = client().submitJson("""
                {"source": {"url": "%s"}, "preset": "thumbnail", "callbackUrl": "%s"}""".formatted(url, callback), null);
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
        return answer.body().path("id").asText();
    }

    private String outboxStatus(String eventId) {
        return jdbc.sql("SELECT status FROM webhook_events WHERE id = :id").param("id", eventId)
                .query(String.class).single();
    }

    /** Checks the signature as the API contract tells receivers to: HMAC-SHA256 of "t.body". */
    private static boolean verified(Received hook) throws Exception {
        String[] parts = hook.signature().split(",");
        String t = parts[0].substring("t=".length());
        String v1 = parts[1].substring("v1=".length());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + hook.body()).getBytes(StandardCharsets.UTF_8)));
        return expected.equals(v1) && Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t)) < 300;
    }

    record Received(String path, String eventId, String signature, String body, int status) {}

    /** A callback receiver: {@code /hooks/ok} acknowledges, {@code /hooks/flaky} fails the first time. */
    static final class Receiver {
        final HttpServer server;
        final List<Received> received = new CopyOnWriteArrayList<>();
        final AtomicInteger flaky = new AtomicInteger();

        Receiver() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/hooks/", exchange -> {
                try (exchange) {
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    String path = exchange.getRequestURI().getPath();
                    int status = path.endsWith("/flaky") && flaky.getAndIncrement() == 0 ? 500 : 204;
                    received.add(new Received(path, exchange.getRequestHeaders().getFirst("Stillwater-Event-Id"),
                            exchange.getRequestHeaders().getFirst("Stillwater-Signature"), body, status));
                    exchange.sendResponseHeaders(status, -1);
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

        /** The requests about a job or batch (its id appears in the body). */
        List<Received> all(String id) {
            return received.stream().filter(r -> r.body().contains("\"" + id + "\"")).toList();
        }

        Received find(String id) {
            return all(id).stream().filter(r -> r.status() / 100 == 2).findFirst().orElse(null);
        }
    }
}
