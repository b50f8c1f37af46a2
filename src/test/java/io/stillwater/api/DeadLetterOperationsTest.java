package io.stillwater.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.TestImages;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.activemq.artemis.api.core.management.QueueControl;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Operators list, inspect, replay and discard dead letters over the API (with operator credentials
 * only: neither anonymous nor an intake API key) and JMX; each act is on the job's history, and a replayed job runs to success.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    "stillwater.processing.auto-startup=false",
    "stillwater.security.operator.username=ops",
    "stillwater.security.operator.password=s3cret-for-tests",
    "stillwater.dead-letters.replay-per-second=50",
    // Every dead letter here is made from the same image.
    "stillwater.cache.enabled=false",
    "spring.jmx.enabled=true",
    "camel.main.name=dead-letter-operations-test"
})
class DeadLetterOperationsTest extends ServiceTest {

    private static final String QUEUE = "stillwater.jobs.normal";

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    ConsumerTemplate consumer;

    @Autowired
    EmbeddedActiveMQ broker;

    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    ServiceClient client;
    ServiceClient operator;

    @BeforeEach
    void clientsAndNoWorkers() throws Exception {
        for (String workers : List.of("consume-urgent-jobs", "consume-normal-jobs", "consume-background-jobs")) {
            camel.getRouteController().stopRoute(workers);
        }
        client = client();
        operator = ServiceClient.as(port, "ops", "s3cret-for-tests");
    }

    @Test
    void operatorEndpointsNeedOperatorCredentials() {
        ServiceClient.Answer anonymous = anonymous().get("/api/v1/dead-letters");
        ServiceClient.Answer wrong = ServiceClient.as(port, "ops", "guess").get("/api/v1/dead-letters");
        ServiceClient.Answer withApiKey = client.get("/api/v1/dead-letters");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body().path("type").asText()).isEqualTo("urn:stillwater:problem:unauthorized");
        assertThat(anonymous.headers().getFirst("WWW-Authenticate")).startsWith("Basic ");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body().path("type").asText()).isEqualTo("urn:stillwater:problem:unauthorized");
        assertThat(withApiKey.status()).isEqualTo(403);
        assertThat(withApiKey.body().path("type").asText()).isEqualTo("urn:stillwater:problem:forbidden");
        assertThat(operator.get("/api/v1/dead-letters").status()).isEqualTo(200);
        assertThat(client.upload(TestImages.jpeg(32, 32), "a.jpg", "image/jpeg", null).status()).isEqualTo(202);
    }

    @Test
    void aDeadLetterIsListedInspectedAndReplayedToSuccess() throws Exception {
        String id = deadLetteredJob();

        JsonNode listed = entry(operator.get("/api/v1/dead-letters?reason=crash-loop").body(), id);
        assertThat(listed.path("queue").asText()).isEqualTo("stillwater.jobs.normal");
        assertThat(listed.path("reasonCode").asText()).isEqualTo("crash-loop");
        assertThat(listed.path("attempts").asInt()).isZero();
        assertThat(listed.path("failedAt").asText()).isNotBlank();
        assertThat(operator.get("/api/v1/dead-letters/" + id).body().path("job").path("status").asText())
                .isEqualTo("dead_lettered");

        ServiceClient.Answer replayed = operator.post("/api/v1/dead-letters/" + id + "/replay");
        camel.getRouteController().startAllRoutes();

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.body().path("status").asText()).isEqualTo("queued");
        JsonNode done = client.awaitStatus(id, "succeeded");
        assertThat(done.path("history").findValuesAsText("detail")).contains("replayed by ops");
        assertThat(dlqCopies(id)).isZero();
        assertThat(operator.post("/api/v1/dead-letters/" + id + "/replay").status()).isEqualTo(409);
    }

    @Test
    void aDiscardedDeadLetterEndsFailedWithTheOperatorsReason() throws Exception {
        String id = deadLetteredJob();

        assertThat(operator.delete("/api/v1/dead-letters/" + id, "{}").body().path("field").asText()).isEqualTo("reason");
        ServiceClient.Answer discarded = operator.delete("/api/v1/dead-letters/" + id, "{\"reason\": \"camera image lost\"}");

        assertThat(discarded.status()).isEqualTo(200);
        JsonNode job = client.job(id);
        assertThat(job.path("status").asText()).isEqualTo("failed");
        assertThat(job.path("error").path("code").asText()).isEqualTo("discarded");
        assertThat(job.path("error").path("message").asText()).isEqualTo("camera image lost");
        assertThat(job.path("history").findValuesAsText("detail")).contains("discarded by ops: camera image lost");
        assertThat(dlqCopies(id)).isZero();
    }

    @Test
    void replayAllAndJmxReplayEveryMatchingDeadLetter() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(deadLetteredJob());
        }
        ServiceClient.Answer bulk = operator.post("/api/v1/dead-letters/replay?reason=crash-loop&queue=stillwater.jobs.normal");
        // Dead-lettered after the bulk replay took its list, so only JMX replays it.
        String viaJmx = deadLetteredJob();
        Object answer = jmx.invoke(new ObjectName("io.stillwater:name=DeadLetters"), "replay",
                new Object[] {viaJmx}, new String[] {String.class.getName()});

        assertThat(bulk.status()).isEqualTo(202);
        assertThat(bulk.body().path("replaying").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(answer).isEqualTo("replayed " + viaJmx);
        camel.getRouteController().startAllRoutes();
        ids.add(viaJmx);
        ids.forEach(id -> client.awaitStatus(id, "succeeded"));
        assertThat(client.job(viaJmx).path("history").findValuesAsText("detail")).contains("replayed by jmx");
    }

    /**
     * A job whose message came back once too often: dead-lettered by the processing route unprocessed.
     * Its message is taken off the queue as a worker's delivery would, so a replayed job can only run
     * from the message the replay sends.
     */
    private String deadLetteredJob() throws Exception {
        String id = client.upload(TestImages.jpeg(120, 90), "a.jpg", "image/jpeg", null).body().path("id").asText();
        return deadLettered(id);
    }

    private String deadLettered(String id) throws Exception {
        Exchange delivery = consumer.receive("jms:queue:" + QUEUE + "?selector=StillwaterJobId='" + id + "'", 5_000);
        assertThat(delivery).isNotNull();
        producer.sendBodyAndHeaders("direct:image-processing", id, Map.of("JMSXDeliveryCount", 99,
                "StillwaterRun", delivery.getMessage().getHeader("StillwaterRun", 1, Integer.class)));
        assertThat(client.job(id).path("status").asText()).isEqualTo("dead_lettered");
        assertThat(queued(id)).isZero();
        return id;
    }

    private long queued(String id) throws Exception {
        QueueControl queue = (QueueControl) broker.getActiveMQServer().getManagementService()
                .getResource(ResourceNames.QUEUE + QUEUE);
        return queue.countMessages("StillwaterJobId='" + id + "'");
    }

    /** The queue counts a message it has just taken once it has added it, on the queue's own thread. */
    private void awaitQueued(String id, long expected) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(queued(id)).isEqualTo(expected));
    }

    @Test
    void aReplayedJobRunsAlthoughTheBrokerDropsAnyMessageCarryingItsOriginalDuplicateId() throws Exception {
        String id = deadLetteredJob();
        // What the broker does to a job message sent again with the id intake gave the first one.
        producer.sendBodyAndHeaders("jms:queue:" + QUEUE, id, Map.of("StillwaterJobId", id, "_AMQ_DUPL_ID", id));
        assertThat(queued(id)).isZero();

        assertThat(operator.post("/api/v1/dead-letters/" + id + "/replay").status()).isEqualTo(200);
        awaitQueued(id, 1);
        // Dead-lettered again before any worker ran it, and replayed again: that message is not dropped either.
        deadLettered(id);
        assertThat(operator.post("/api/v1/dead-letters/" + id + "/replay").status()).isEqualTo(200);
        awaitQueued(id, 1);

        camel.getRouteController().startAllRoutes();
        JsonNode done = client.awaitStatus(id, "succeeded");
        assertThat(done.path("history").findValuesAsText("status")).containsExactly(
                "queued", "dead_lettered", "queued", "dead_lettered", "queued", "processing", "succeeded");
        assertThat(done.path("attempts").asInt()).isEqualTo(1);
        assertThat(dlqCopies(id)).isZero();
    }

    private long dlqCopies(String id) throws Exception {
        QueueControl dlq = (QueueControl) broker.getActiveMQServer().getManagementService().getResource(ResourceNames.QUEUE + "DLQ");
        return dlq.countMessages("StillwaterJobId='" + id + "'");
    }

    private static JsonNode entry(JsonNode page, String id) {
        for (JsonNode item : page.path("items")) {
            if (item.path("jobId").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("no dead letter " + id + " in " + page);
    }
}
