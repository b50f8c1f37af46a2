package io.stillwater.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;

/**
 * Intake pushes back instead of queueing without end: a priority class with {@code max-queued} jobs
 * waiting answers 503 while the other classes still take work, a client over its rate gets 429, both
 * with {@code Retry-After}; and every job accepted meanwhile is processed once workers run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    // The same image is sent again and again: each request must be a job of its own, not a cache hit.
    "stillwater.cache.enabled=false",
    "stillwater.storage.embedded.port=0",
    "stillwater.processing.auto-startup=false",
    "stillwater.intake.max-queued=3",
    // Six requests at once, then one every 100 s: the seventh is over the rate.
    "stillwater.intake.rate-limit.burst=6",
    "stillwater.intake.rate-limit.requests-per-second=0.01",
    "camel.main.name=intake-back-pressure-test"
})
class IntakeBackPressureTest extends ServiceTest {

    @Autowired
    CamelContext camel;

    @Test
    void aFullClassAndAClientOverItsRateArePushedBackAndNothingAcceptedIsLost() throws Exception {
        ServiceClient client = client();
        byte[] image = TestImages.jpeg(160, 120);
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            accepted.add(acceptedId(client.uploadRaw(image, "image/jpeg", "priority=urgent&preset=thumbnail")));
        }

        ServiceClient.Answer full = client.uploadRaw(image, "image/jpeg", "priority=urgent&preset=thumbnail");
        accepted.add(acceptedId(client.uploadRaw(image, "image/jpeg", "priority=normal&preset=thumbnail")));
        accepted.add(acceptedId(client.uploadRaw(image, "image/jpeg", "priority=background&preset=thumbnail")));
        ServiceClient.Answer tooFast = client.uploadRaw(image, "image/jpeg", "priority=normal&preset=thumbnail");

        assertThat(full.status()).isEqualTo(503);
        assertThat(full.body().path("type").asText()).isEqualTo("urn:stillwater:problem:queue-full");
        assertThat(full.body().path("field").asText()).isEqualTo("priority");
        assertThat(full.body().path("limit").asInt()).isEqualTo(3);
        assertThat(full.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(tooFast.status()).isEqualTo(429);
        assertThat(tooFast.body().path("type").asText()).isEqualTo("urn:stillwater:problem:rate-limited");
        assertThat(Long.parseLong(tooFast.headers().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(90L, 100L);
        assertThat(client.get("/api/v1/jobs?limit=10").body().path("items")).hasSize(5);

        for (String workers : List.of("consume-urgent-jobs", "consume-normal-jobs", "consume-background-jobs")) {
            camel.getRouteController().startRoute(workers);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(accepted)
                .allSatisfy(id -> assertThat(client.job(id).path("status").asText()).isEqualTo("succeeded")));
    }

    private static String acceptedId(ServiceClient.Answer answer) {
        assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(202);
        return answer.body().path("id").asText();
    }
}
