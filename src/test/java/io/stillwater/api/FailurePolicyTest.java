package io.stillwater.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ObjectStoreServer;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.TestImages;
import io.stillwater.image.ImageFormat;
import io.stillwater.image.ImageInfo;
import io.stillwater.job.Job;
import io.stillwater.job.JobRequest;
import io.stillwater.job.JobStatus;
import io.stillwater.job.JobStore;
import io.stillwater.job.Priority;
import io.stillwater.job.Submission;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Transient failures are retried by the worker a counted number of times, then the job ends
 * {@code dead_lettered} with its reason and attempt count, and its message waits in the dead-letter
 * queue with the failure in its headers; once the cause is gone an operator's replay completes it.
 * A message that keeps coming back is not processed again. The object store is an S3 server of the
 * test's own, stopped and started again on the same port and files.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.processing.auto-startup=false",
    // A short budget: one retry, 200 ms after the first attempt.
    "stillwater.retry.max-redeliveries=1",
    "stillwater.retry.delay=200ms",
    "stillwater.security.operator.username=ops",
    "stillwater.security.operator.password=s3cret-for-tests",
    "camel.main.name=failure-policy-test"
})
class FailurePolicyTest extends ServiceTest {

    static ObjectStoreServer objects;

    @DynamicPropertySource
    static void objectStore(DynamicPropertyRegistry registry) {
        objects = ObjectStoreServer.start();
        objects.register(registry);
    }

    @AfterEach
    void objectStoreBack() {
        objects.restart();
    }

    @AfterAll
    static void stopObjectStore() {
        objects.close();
    }

    @Autowired
    CamelContext camel;

    @Autowired
    ConsumerTemplate consumer;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    JobStore store;

    @Test
    void aMessageDeliveredMoreOftenThanAllowedDeadLettersItsJobWithoutProcessingIt() {
        JobRequest request = new JobRequest(Priority.NORMAL, List.of(), null, Map.of());
        Job job = store.create(Submission.of(TestImages.jpeg(64, 48), "poison.jpg", request, null)
                .withInfo(new ImageInfo(ImageFormat.JPEG, 64, 48, 1, 1)));

        // What a worker sees on the fourth delivery of a message whose earlier workers all died.
        producer.sendBodyAndHeader("direct:image-processing", job.id(), "JMSXDeliveryCount", 4);

        Job dead = store.find(job.id()).orElseThrow();
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(dead.error().code()).isEqualTo("crash-loop");
        assertThat(dead.attempts()).isZero();
        Exchange deadLetter = consumer.receive("jms:queue:DLQ?selector=StillwaterJobId='" + job.id() + "'", 5_000);
        assertThat(deadLetter).isNotNull();
        assertThat(deadLetter.getMessage().getHeader("StillwaterFailureCode")).isEqualTo("crash-loop");
    }

    @Test
    void withTheObjectStoreGoneJobsAreRetriedThenDeadLetteredAndAReplayCompletesThemOnceItIsBack() throws Exception {
        ServiceClient client = client();
        ServiceClient operator = ServiceClient.as(port, "ops", "s3cret-for-tests");
        List<String> ids = new ArrayList<>();
        // Images of different sizes: the same request twice would share one job (the result cache).
        for (String priority : List.of("urgent", "normal")) {
            ids.add(client.uploadRaw(TestImages.jpeg(320 + ids.size(), 240), "image/jpeg",
                    "preset=thumbnail&priority=" + priority).body().path("id").asText());
        }
        assertThat(ids).doesNotHaveDuplicates();

        objects.stop();
        camel.getRouteController().startAllRoutes();

        for (String id : ids) {
            JsonNode job = await().atMost(Duration.ofSeconds(30)).until(() -> client.job(id),
                    j -> j.path("status").asText().equals("dead_lettered"));
            assertThat(job.path("attempts").asInt()).isEqualTo(2);
            assertThat(job.path("error").path("code").asText()).isEqualTo("retries-exhausted");
            assertThat(job.path("error").path("message").asText()).contains("127.0.0.1:" + objects.port());
            assertThat(statuses(job)).containsExactly("queued", "processing", "processing", "dead_lettered");
            List<String> details = job.path("history").findValuesAsText("detail");
            assertThat(details).filteredOn(d -> d.contains(" after: ")).singleElement()
                    .satisfies(d -> assertThat(d).startsWith("attempt 2 after: "));
            assertThat(details.get(details.size() - 1)).startsWith("retries-exhausted: ");

            Exchange deadLetter = consumer.receive("jms:queue:DLQ?selector=StillwaterJobId='" + id + "'", 20_000);
            assertThat(deadLetter).as("the dead letter of %s in DLQ", id).isNotNull();
            assertThat(deadLetter.getMessage().getBody(String.class)).isEqualTo(id);
            assertThat(deadLetter.getMessage().getHeader("StillwaterFailureCode")).isEqualTo("retries-exhausted");
            assertThat(deadLetter.getMessage().getHeader("StillwaterFailedAt", String.class)).isNotBlank();
        }

        objects.restart();
        for (String id : ids) {
            ServiceClient.Answer replayed = operator.post("/api/v1/dead-letters/" + id + "/replay");
            assertThat(replayed.status()).isEqualTo(200);
            assertThat(replayed.body().path("status").asText()).isEqualTo("queued");
        }

        for (String id : ids) {
            JsonNode job = client.awaitStatus(id, "succeeded");
            assertThat(job.path("attempts").asInt()).isEqualTo(3);
            assertThat(statuses(job)).containsExactly(
                    "queued", "processing", "processing", "dead_lettered", "queued", "processing", "succeeded");
            assertThat(job.path("history").get(4).path("detail").asText()).isEqualTo("replayed by ops");
            JsonNode thumbnail = job.path("outputs").get(0);
            HttpResponse<byte[]> download = client.download(thumbnail.path("url").asText());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat((long) download.body().length).isEqualTo(thumbnail.path("bytes").asLong());
        }
    }

    private static List<String> statuses(JsonNode job) {
        return job.path("history").findValuesAsText("status");
    }
}
