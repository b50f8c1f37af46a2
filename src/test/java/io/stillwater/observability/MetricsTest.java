package io.stillwater.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.TestImages;
import io.stillwater.metrics.BrowsingQueueReader;
import io.stillwater.metrics.QueueReader;
import jakarta.jms.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What Prometheus scrapes from {@code /actuator/prometheus} (operator only) while jobs wait, end and
 * dead-letter: job counts by status, priority and source; queue depths and the oldest message's age, the
 * dead-letter queue's included; the transform and job latency histograms; webhook deliveries that fail and
 * then succeed; and no second count when a job's message comes again. (Tests export no metrics unless asked: {@code @AutoConfigureObservability}.)
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    "stillwater.processing.auto-startup=false",
    "stillwater.security.operator.username=ops",
    "stillwater.security.operator.password=metrics-secret-for-tests",
    "stillwater.intake.rate-limit.enabled=false",
    "camel.main.name=metrics-test"
})
class MetricsTest extends ServiceTest {

    private static final Duration SCRAPE_WAIT = Duration.ofSeconds(20);

    /** A webhook receiver that answers its first request 500 and every later one 204. */
    private static final AtomicInteger HOOKS = new AtomicInteger();
    private static final HttpServer RECEIVER = receiver();

    @DynamicPropertySource
    static void receiverAllowed(DynamicPropertyRegistry registry) {
        registry.add("stillwater.fetch.allow-hosts", () -> "127.0.0.1:" + RECEIVER.getAddress().getPort());
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.stop(0);
    }

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    ConsumerTemplate consumer;

    @Autowired
    ConnectionFactory connections;

    ServiceClient operator;

    @BeforeEach
    void operator() {
        operator = ServiceClient.as(port, "ops", "metrics-secret-for-tests");
    }

    @Test
    void metricsAreForTheOperatorOnly() {
        assertThat(anonymous().get("/actuator/prometheus").status()).isEqualTo(401);
        assertThat(client().get("/actuator/prometheus").status()).isIn(401, 403);
        ServiceClient.Answer scrape = operator.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.contentType().toString()).startsWith("text/plain");
        Prometheus metrics = Prometheus.parse(scrape.text());
        // The webhook delivery counter exists for every outcome from the start.
        for (String outcome : new String[] {"delivered", "failed", "refused"}) {
            assertThat(metrics.find("stillwater_webhook_deliveries_total", "outcome", outcome)).hasSize(1);
        }
    }

    @Test
    void jobsQueuesAndLatenciesAsTheyHappen() throws Exception {
        ServiceClient client = client();
        String callback = "http://127.0.0.1:" + RECEIVER.getAddress().getPort() + "/hooks/flaky";
        String good = client.upload(TestImages.jpeg(800, 600), "good.jpg", "image/jpeg",
                "{\"callbackUrl\": \"" + callback + "\"}").body().path("id").asText();
        String broken = client.upload(TestImages.truncated(TestImages.jpeg(1200, 900), 0.4), "broken.jpg", "image/jpeg",
                "{\"priority\": \"background\"}").body().path("id").asText();
        String lost = client.uploadRaw(TestImages.png(320, 240), "image/png", "priority=urgent").body().path("id").asText();
        deadLetter(lost, "stillwater.jobs.urgent");

        // Waiting: one job in the normal and the background queue each, one dead letter, nothing urgent.
        Prometheus waiting = awaitScrape(m -> m.value("stillwater_queue_depth", "queue", "stillwater.jobs.normal") == 1
                && m.value("stillwater_queue_depth", "queue", "stillwater.jobs.background") == 1
                && m.value("stillwater_queue_depth", "queue", "DLQ") == 1);
        assertThat(waiting.value("stillwater_queue_depth", "queue", "stillwater.jobs.urgent")).isZero();
        for (String queue : new String[] {"stillwater.webhooks", "stillwater.webhooks.DLQ"}) {
            assertThat(waiting.find("stillwater_queue_depth", "queue", queue)).hasSize(1);
            assertThat(waiting.find("stillwater_queue_oldest_age_seconds", "queue", queue)).hasSize(1);
        }
        assertThat(waiting.value("stillwater_queue_oldest_age_seconds", "queue", "stillwater.jobs.normal"))
                .isBetween(0.0, 60.0);
        assertThat(waiting.value("stillwater_queue_oldest_age_seconds", "queue", "stillwater.jobs.urgent")).isZero();
        assertThat(jobs(waiting, "accepted", "normal")).isEqualTo(1);
        assertThat(jobs(waiting, "accepted", "background")).isEqualTo(1);
        assertThat(jobs(waiting, "accepted", "urgent")).isEqualTo(1);
        assertThat(jobs(waiting, "dead_lettered", "urgent")).isEqualTo(1);
        assertThat(waiting.value("stillwater_job_latency_seconds_count",
                "status", "dead_lettered", "priority", "urgent", "source", "upload")).isEqualTo(1);

        // A standalone broker's queues are read by browsing them: the same figures from the same broker.
        QueueReader.Reading browsed = new BrowsingQueueReader(connections).read("stillwater.jobs.normal");
        assertThat(browsed.depth()).isEqualTo(1);
        assertThat(browsed.oldestAgeSeconds()).isBetween(0.0, 60.0);

        camel.getRouteController().startAllRoutes();
        client.awaitStatus(good, "succeeded");
        client.awaitStatus(broken, "failed");

        Prometheus ended = awaitScrape(m -> jobs(m, "succeeded", "normal") == 1 && jobs(m, "failed", "background") == 1
                && m.value("stillwater_queue_depth", "queue", "stillwater.jobs.normal") == 0
                && m.value("stillwater_queue_depth", "queue", "stillwater.jobs.background") == 0);
        assertThat(ended.value("stillwater_job_latency_seconds_count",
                "status", "succeeded", "priority", "normal", "source", "upload")).isEqualTo(1);
        assertThat(ended.value("stillwater_job_latency_seconds_count",
                "status", "failed", "priority", "background", "source", "upload")).isEqualTo(1);
        assertThat(ended.value("stillwater_transform_duration_seconds_count", "outcome", "succeeded")).isEqualTo(1);
        assertThat(ended.value("stillwater_transform_duration_seconds_count", "outcome", "failed")).isEqualTo(1);
        // Histograms: buckets Prometheus can take quantiles of.
        assertThat(ended.find("stillwater_transform_duration_seconds_bucket", "outcome", "succeeded")).hasSizeGreaterThan(5);
        assertThat(ended.value("stillwater_transform_duration_seconds_bucket", "outcome", "succeeded", "le", "+Inf"))
                .isEqualTo(1);
        assertThat(ended.find("stillwater_job_latency_seconds_bucket", "status", "succeeded")).hasSizeGreaterThan(5);
        assertThat(ended.value("stillwater_queue_depth", "queue", "DLQ")).isEqualTo(1);
        assertThat(jobs(ended, "failed", "normal") + jobs(ended, "succeeded", "background")).isZero();

        // Its webhook: refused once by the receiver, redelivered by the broker, then delivered.
        Prometheus hooks = awaitScrape(m -> m.value("stillwater_webhook_deliveries_total", "outcome", "delivered") == 1);
        assertThat(hooks.value("stillwater_webhook_deliveries_total", "outcome", "failed")).isEqualTo(1);
        assertThat(hooks.value("stillwater_webhook_deliveries_total", "outcome", "refused")).isZero();
        assertThat(HOOKS.get()).isEqualTo(2);

        // The succeeded job's message again (a duplicate, a redelivery): nothing is done, nothing counted.
        producer.sendBodyAndHeaders("direct:image-processing", good, Map.of("JMSXDeliveryCount", 2, "StillwaterRun", 1));
        producer.sendBodyAndHeaders("direct:image-processing", broken, Map.of("JMSXDeliveryCount", 1, "StillwaterRun", 1));
        Prometheus again = scrape();
        assertThat(jobs(again, "succeeded", "normal")).isEqualTo(1);
        assertThat(jobs(again, "failed", "background")).isEqualTo(1);
        assertThat(again.value("stillwater_transform_duration_seconds_count", "outcome", "succeeded")).isEqualTo(1);
    }

    private static HttpServer receiver() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hooks/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    exchange.sendResponseHeaders(HOOKS.getAndIncrement() == 0 ? 500 : 204, -1);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Takes the job's message off its queue and hands it to the worker route as a crash-looping delivery. */
    private void deadLetter(String id, String queue) {
        Exchange delivery = consumer.receive("jms:queue:" + queue + "?selector=StillwaterJobId='" + id + "'", 5_000);
        assertThat(delivery).isNotNull();
        producer.sendBodyAndHeaders("direct:image-processing", id, Map.of("JMSXDeliveryCount", 99,
                "StillwaterRun", delivery.getMessage().getHeader("StillwaterRun", 1, Integer.class)));
        assertThat(client().job(id).path("status").asText()).isEqualTo("dead_lettered");
    }

    private static double jobs(Prometheus metrics, String status, String priority) {
        return metrics.value("stillwater_jobs_total", "status", status, "priority", priority, "source", "upload");
    }

    private Prometheus scrape() {
        ServiceClient.Answer answer = operator.get("/actuator/prometheus");
        assertThat(answer.status()).isEqualTo(200);
        return Prometheus.parse(answer.text());
    }

    private Prometheus awaitScrape(java.util.function.Predicate<Prometheus> ready) {
        return await().atMost(SCRAPE_WAIT).pollInterval(Duration.ofMillis(500)).until(this::scrape, ready);
    }
}
