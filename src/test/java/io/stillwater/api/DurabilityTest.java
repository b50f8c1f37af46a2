package io.stillwater.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stillwater.ServiceClient;
import io.stillwater.StillwaterApplication;
import io.stillwater.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Accepted jobs survive a full stop: the broker journal, the stored originals and the job store all
 * live under the data directory, so a new service on the same directory finishes every job, and
 * answers a request for a result it holds from its result cache.
 */
class DurabilityTest {

    @TempDir
    Path data;

    @Test
    void jobsAcceptedWhileNoWorkerRunsAllSucceedAfterTheServiceRestartsOnTheSameData() throws Exception {
        List<String> accepted = new ArrayList<>();
        try (ConfigurableApplicationContext first = start("false")) {
            ServiceClient client = ServiceClient.withApiKey(port(first), ServiceClient.TEST_API_KEY);
            for (int i = 0; i < 5; i++) {
                ServiceClient.Answer answer = client.upload(TestImages.jpeg(640 + i, 480), "still-" + i + ".jpg",
                        "image/jpeg", null);
                assertThat(answer.status()).isEqualTo(202);
                accepted.add(answer.body().path("id").asText());
            }
            assertThat(accepted).allSatisfy(id -> assertThat(client.job(id).path("status").asText()).isEqualTo("queued"));
        }
        assertThat(Files.isDirectory(data.resolve("artemis/journal"))).isTrue();

        try (ConfigurableApplicationContext second = start("true")) {
            ServiceClient client = ServiceClient.withApiKey(port(second), ServiceClient.TEST_API_KEY);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(accepted)
                    .allSatisfy(id -> assertThat(client.job(id).path("status").asText()).isEqualTo("succeeded")));
            assertThat(accepted).allSatisfy(id -> assertThat(client.job(id).path("attempts").asInt()).isEqualTo(1));
            // No stillwater.instance-id is set: the worker names itself <pid>@<host name>.
            assertThat(accepted).allSatisfy(id -> assertThat(client.job(id).path("history").get(1).path("detail").asText())
                    .startsWith("attempt 1 on " + ProcessHandle.current().pid() + "@"));

            // The cache key the first service recorded is the one this service computes: the same request
            // is answered with the finished job.
            ServiceClient.Answer again = client.upload(TestImages.jpeg(640, 480), "again.jpg", "image/jpeg", null);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.body().path("id").asText()).isEqualTo(accepted.get(0));
        }
    }

    private ConfigurableApplicationContext start(String processing) {
        return new SpringApplicationBuilder(StillwaterApplication.class).run(
                "--server.port=0",
                "--stillwater.data-dir=" + data,
                "--stillwater.storage.embedded.port=0",
                "--stillwater.processing.auto-startup=" + processing,
                "--stillwater.security.intake.api-keys=" + ServiceClient.TEST_API_KEY,
                "--camel.main.name=durability-" + processing);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((ServletWebServerApplicationContext) context).getWebServer().getPort();
    }
}
