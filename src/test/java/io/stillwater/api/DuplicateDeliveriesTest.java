package io.stillwater.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.TestImages;
import io.stillwater.job.Job;
import io.stillwater.job.JobStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.management.QueueControl;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A job's message can arrive more than once, and a job can be worked on by a delivery from before an
 * operator replayed it. Whatever the order, each job ends with one set of renditions and one history
 * entry per status change: a second copy of a message does no second work, an earlier run's delivery
 * cannot end or dead-letter the replayed job, and of two replays at once only one re-queues it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    "stillwater.processing.auto-startup=false",
    // Two workers for normal jobs, so two copies of one message are delivered at the same time.
    "stillwater.processing.concurrency.normal=2",
    "stillwater.security.operator.username=ops",
    "stillwater.security.operator.password=s3cret-for-tests",
    "stillwater.cache.enabled=false",
    "stillwater.instance-id=duplicates-test",
    "camel.main.name=duplicate-deliveries-test"
})
class DuplicateDeliveriesTest extends ServiceTest {

    private static final String QUEUE = "stillwater.jobs.normal";
    private static final String SPEC = """
            {"outputs": [
              {"name": "small", "ops": [{"op": "resize", "width": 64}]},
              {"name": "square", "ops": [{"op": "resize", "width": 32, "height": 32, "fit": "cover"}], "format": "png"}
            ]}
            """;

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    ConsumerTemplate consumer;

    @Autowired
    EmbeddedActiveMQ broker;

    @Autowired
    JobStore store;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    S3Client s3;

    ServiceClient client;
    ServiceClient operator;

    @BeforeEach
    void clientsAndNoWorkers() throws Exception {
        camel.getRouteController().stopRoute("consume-normal-jobs");
        client = client();
        operator = ServiceClient.as(port, "ops", "s3cret-for-tests");
    }

    @Test
    void aJobMessageDeliveredTwiceAtOnceAndOnceMoreAfterTheEndIsWorkedOnce() throws Exception {
        String id = upload(320);
        // The same message again, without intake's duplicate id: a redelivery after a lost acknowledgement.
        sendCopy(id, 1);
        awaitMessages(QUEUE, id, 2);

        camel.getRouteController().startRoute("consume-normal-jobs");
        JsonNode done = client.awaitStatus(id, "succeeded");
        awaitDrained(QUEUE);
        sendCopy(id, 1);
        awaitDrained(QUEUE);

        JsonNode job = client.job(id);
        assertThat(job.path("history")).isEqualTo(done.path("history"));
        assertThat(statuses(job)).containsExactly("queued", "processing", "succeeded");
        assertThat(job.path("attempts").asInt()).isEqualTo(1);
        assertOneSetOfRenditions(job);
    }

    @Test
    void anEarlierDeliverysLateSuccessAndItsMessageComingBackLeaveTheReplayedJobToItsOwnRun() throws Exception {
        String id = replayedWhileItsFirstDeliveryIsAtWork(330);

        // The first delivery finishes after the replay and records its success; then its message comes back.
        store.succeed(id, 1, List.of(new Job.Output("small", "jpeg", 64, 48, 1, "renditions/late/small.jpg"),
                new Job.Output("square", "png", 32, 32, 1, "renditions/late/square.png")));
        sendCopy(id, 1);
        assertThat(client.job(id).path("status").asText()).isEqualTo("queued");

        camel.getRouteController().startRoute("consume-normal-jobs");
        client.awaitStatus(id, "succeeded");
        awaitDrained(QUEUE);

        JsonNode job = client.job(id);
        assertThat(statuses(job))
                .containsExactly("queued", "processing", "dead_lettered", "queued", "processing", "succeeded");
        assertThat(job.path("history").get(4).path("detail").asText()).isEqualTo("attempt 2 on duplicates-test");
        assertOneSetOfRenditions(job);
    }

    @Test
    void anEarlierDeliveryRunningOutOfRetriesAfterTheReplayDoesNotDeadLetterTheReplayedJob() throws Exception {
        String id = replayedWhileItsFirstDeliveryIsAtWork(340);

        // The first delivery's retries run out: the failure handler gives its original message to the
        // dead-letter route, as it does for any delivery.
        producer.sendBodyAndHeaders("direct:dead-letter-job", id, Map.of("StillwaterRun", 1,
                "StillwaterFailureCode", "retries-exhausted", "StillwaterFailure", "object store unavailable"));

        assertThat(client.job(id).path("status").asText()).isEqualTo("queued");
        assertThat(messages("DLQ", id)).isZero();
        camel.getRouteController().startRoute("consume-normal-jobs");
        JsonNode job = client.awaitStatus(id, "succeeded");
        assertThat(statuses(job))
                .containsExactly("queued", "processing", "dead_lettered", "queued", "processing", "succeeded");
        assertOneSetOfRenditions(job);
    }

    @Test
    void ofTwoReplaysAtOnceOneRequeuesTheJobTheOtherIsRefusedAndTheJobRunsOnce() throws Exception {
        String id = upload(350);
        takeMessage(id);
        producer.sendBodyAndHeaders("direct:image-processing", id, Map.of("JMSXDeliveryCount", 4, "StillwaterRun", 1));
        assertThat(client.job(id).path("status").asText()).isEqualTo("dead_lettered");

        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<ServiceClient.Answer>> replays = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ServiceClient operatorClient = ServiceClient.as(port, "ops", "s3cret-for-tests");
            replays.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return operatorClient.post("/api/v1/dead-letters/" + id + "/replay");
            }));
        }
        List<ServiceClient.Answer> answers = new ArrayList<>();
        for (CompletableFuture<ServiceClient.Answer> replay : replays) {
            answers.add(replay.get(30, TimeUnit.SECONDS));
        }

        assertThat(answers).extracting(ServiceClient.Answer::status).containsExactlyInAnyOrder(200, 409);
        assertThat(answers).filteredOn(answer -> answer.status() == 409).singleElement().satisfies(refused -> {
            assertThat(refused.body().path("type").asText()).isEqualTo("urn:stillwater:problem:not-dead-lettered");
            assertThat(refused.body().path("detail").asText()).contains(id);
        });
        awaitMessages(QUEUE, id, 1);
        camel.getRouteController().startRoute("consume-normal-jobs");
        client.awaitStatus(id, "succeeded");
        awaitDrained(QUEUE);
        JsonNode job = client.job(id);
        assertThat(statuses(job)).containsExactly("queued", "dead_lettered", "queued", "processing", "succeeded");
        assertThat(job.path("history").findValuesAsText("detail")).filteredOn(d -> d.startsWith("replayed by"))
                .containsExactly("replayed by ops");
        assertThat(job.path("attempts").asInt()).isEqualTo(1);
        assertOneSetOfRenditions(job);
    }

    /**
     * A job whose first delivery started it and is still at work when the crash-loop guard dead-letters
     * it (its message came back too often: its worker was taken for dead), and which an operator has
     * then replayed: queued in run 2, with a message of its own in the queue.
     */
    private String replayedWhileItsFirstDeliveryIsAtWork(int width) throws Exception {
        String id = upload(width);
        takeMessage(id);
        assertThat(store.start(id, 1, 1, "first-worker")).isNotNull();
        producer.sendBodyAndHeaders("direct:image-processing", id, Map.of("JMSXDeliveryCount", 4, "StillwaterRun", 1));
        assertThat(client.job(id).path("status").asText()).isEqualTo("dead_lettered");

        ServiceClient.Answer replayed = operator.post("/api/v1/dead-letters/" + id + "/replay");

        assertThat(replayed.status()).isEqualTo(200);
        awaitMessages(QUEUE, id, 1);
        assertThat(messages("DLQ", id)).isZero();
        return id;
    }

    private String upload(int width) {
        ServiceClient.Answer accepted = client.upload(TestImages.jpeg(width, 240), "dup.jpg", "image/jpeg", SPEC);
        assertThat(accepted.status()).isEqualTo(202);
        return accepted.body().path("id").asText();
    }

    /** Takes the job's message off its queue, as the worker that receives it does. */
    private void takeMessage(String id) {
        assertThat(consumer.receive("jms:queue:" + QUEUE + "?selector=StillwaterJobId='" + id + "'", 5_000)).isNotNull();
    }

    /** A copy of the job's message for run {@code run}, with no duplicate id: the broker takes it. */
    private void sendCopy(String id, int run) {
        producer.sendBodyAndHeaders("jms:queue:" + QUEUE, id, Map.of("StillwaterJobId", id, "StillwaterRun", run));
    }

    /** One rendition object per output in the store and in the lineage, and one output each on the job. */
    private void assertOneSetOfRenditions(JsonNode job) {
        List<String> keys = job.path("outputs").findValuesAsText("key");
        assertThat(keys).hasSize(2).allSatisfy(key -> assertThat(key).startsWith("renditions/"));
        String prefix = keys.get(0).substring(0, keys.get(0).lastIndexOf('/') + 1);
        assertThat(s3.listObjectsV2(b -> b.bucket("stillwater").prefix(prefix)).contents())
                .extracting(object -> object.key()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(jdbc.sql("SELECT object_key FROM renditions WHERE job_id = :id").param("id", job.path("id").asText())
                .query(String.class).list()).containsExactlyInAnyOrderElementsOf(keys);
        for (JsonNode output : job.path("outputs")) {
            assertThat(client.download(output.path("url").asText()).statusCode()).isEqualTo(200);
        }
    }

    private static List<String> statuses(JsonNode job) {
        return job.path("history").findValuesAsText("status");
    }

    private long messages(String queue, String id) throws Exception {
        return queue(queue).countMessages("StillwaterJobId='" + id + "'");
    }

    /**
     * Waits for the queue to hold {@code expected} messages of the job. A message the broker has just
     * taken is counted only once the queue has added it, which happens on the queue's own thread.
     */
    private void awaitMessages(String queue, String id, long expected) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(messages(queue, id)).isEqualTo(expected));
    }

    private void awaitDrained(String queue) {
        await().atMost(Duration.ofSeconds(30)).until(() -> queue(queue).getMessageCount() == 0
                && queue(queue).getDeliveringCount() == 0);
    }

    private QueueControl queue(String name) {
        return (QueueControl) broker.getActiveMQServer().getManagementService().getResource(ResourceNames.QUEUE + name);
    }
}
