package io.stillwater.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.TestImages;
import java.time.Duration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;

/**
 * When the broker cannot take a job, intake answers {@code 503} with {@code Retry-After} and leaves no
 * job behind that would never run: the client's retry is the only copy, and the job is not counted as
 * accepted. The instance reports itself not ready meanwhile, and still alive.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    // The same image is sent again and again: each request must be a job of its own, not a cache hit.
    "stillwater.cache.enabled=false",
    "stillwater.storage.embedded.port=0",
    "stillwater.processing.auto-startup=false",
    "camel.main.name=intake-unavailable-test"
})
class IntakeUnavailableTest extends ServiceTest {

    @Autowired
    EmbeddedActiveMQ broker;

    @Autowired
    MeterRegistry meters;

    @Test
    void withTheBrokerDownAnUploadIsA503WithRetryAfterAndNoJobIsLeftBehind() throws Exception {
        ServiceClient client = client();
        assertThat(client.upload(TestImages.jpeg(320, 240), "before.jpg", "image/jpeg", null).status())
                .isEqualTo(202);

        broker.stop();
        ServiceClient.Answer answer = client.upload(TestImages.jpeg(320, 240), "during.jpg", "image/jpeg", null);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(answer.body().path("type").asText()).isEqualTo("urn:stillwater:problem:intake-unavailable");
        assertThat(answer.body().toString()).doesNotContain("Exception");
        assertThat(client.get("/api/v1/jobs").body().path("items"))
                .extracting(job -> job.path("source").path("filename").asText())
                .containsExactly("before.jpg");
        assertThat(meters.get("stillwater.jobs").tag("status", "accepted").counter().count()).isEqualTo(1);

        ServiceClient.Answer notReady = await().atMost(Duration.ofSeconds(20))
                .until(() -> anonymous().get("/actuator/health/readiness"), ready -> ready.status() == 503);
        assertThat(notReady.body().path("status").asText()).isEqualTo("DOWN");
        assertThat(anonymous().get("/actuator/health/liveness").status()).isEqualTo(200);
    }
}
