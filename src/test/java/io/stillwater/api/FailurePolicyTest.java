package io.stillwater.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.TestImages;
import io.stillwater.embedded.EmbeddedObjectStore;
import io.stillwater.image.ImageFormat;
import io.stillwater.image.ImageInfo;
import io.stillwater.job.Job;
import io.stillwater.job.JobRequest;
import io.stillwater.job.JobStatus;
import io.stillwater.job.JobStore;
import io.stillwater.job.Priority;
import io.stillwater.job.Submission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Transient failures are retried by the worker a counted number of times, then the job ends
 * {@code dead_lettered} with its reason and attempt count, and its message waits in the dead-letter
 * queue with the failure in its headers. A message that keeps coming back is not processed again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    "stillwater.processing.auto-startup=false",
    "stillwater.retry.max-redeliveries=2",
    "stillwater.retry.delay=50ms",
    "stillwater.retry.max-delay=200ms",
    "camel.main.name=failure-policy-test"
})
class FailurePolicyTest extends ServiceTest {

    @Autowired
    CamelContext camel;

    @Autowired
    EmbeddedObjectStore objectStore;

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
    void withTheObjectStoreGoneAJobIsRetriedThenDeadLetteredWithItsReasonAndAttempts() throws Exception {
        ServiceClient client = client();
        String id = client.upload(TestImages.jpeg(320, 240), "a.jpg", "image/jpeg", null).body().path("id").asText();

        objectStore.close();
        camel.getRouteController().startRoute("consume-normal-jobs");

        JsonNode job = await().atMost(Duration.ofSeconds(30)).until(() -> client.job(id),
                j -> j.path("status").asText().equals("dead_lettered"));
        assertThat(job.path("attempts").asInt()).isEqualTo(3);
        assertThat(job.path("error").path("code").asText()).isEqualTo("retries-exhausted");
        assertThat(job.path("error").path("message").asText()).isNotBlank();
        List<String> details = job.path("history").findValuesAsText("detail");
        assertThat(details).filteredOn(d -> d.contains(" after: ")).hasSize(2);
        assertThat(details.get(details.size() - 1)).startsWith("retries-exhausted: ");

        Exchange deadLetter = consumer.receive("jms:queue:DLQ?selector=StillwaterJobId='" + id + "'", 5_000);
        assertThat(deadLetter).isNotNull();
        assertThat(deadLetter.getMessage().getBody(String.class)).isEqualTo(id);
        assertThat(deadLetter.getMessage().getHeader("StillwaterFailureCode")).isEqualTo("retries-exhausted");
        assertThat(deadLetter.getMessage().getHeader("StillwaterFailedAt", String.class)).isNotBlank();
    }
}
