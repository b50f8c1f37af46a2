package io.stillwater.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.StillwaterApplication;
import io.stillwater.TestImages;
import io.stillwater.image.ImageFormat;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service in its {@code prod} profile against a real standalone Artemis broker: the distribution
 * from Maven Central, an instance created and configured as {@code artemis-config/README.md} describes,
 * on loopback. The service connects with the {@code service} account only; its object store (S3Proxy)
 * and job store (H2) are embedded here, since the point is the broker.
 */
class StandaloneBrokerIT {

    @Test
    void theServiceCompletesJobsOfEveryPriorityThroughAStandaloneBrokerMadeFromArtemisConfig() throws Exception {
        Path work = LocalProcesses.workDirectory("standalone-broker");
        Path data = work.resolve("service");
        StandaloneBroker broker = StandaloneBroker.start(LocalProcesses.buildPath("stillwater.it.artemis-home"),
                LocalProcesses.buildPath("stillwater.it.broker-xml"), work.resolve("broker"));
        try {
            try (ConfigurableApplicationContext service = new SpringApplicationBuilder(StillwaterApplication.class)
                    .profiles("prod")
                    .run("--server.port=0",
                            "--spring.artemis.broker-url=" + broker.url(),
                            "--spring.artemis.user=" + broker.serviceUser(),
                            "--spring.artemis.password=" + broker.servicePassword(),
                            "--stillwater.data-dir=" + data,
                            "--stillwater.storage.embedded.enabled=true",
                            "--stillwater.storage.embedded.port=0",
                            "--spring.datasource.url=jdbc:h2:file:" + data.resolve("db/stillwater"),
                            "--spring.datasource.driver-class-name=org.h2.Driver",
                            "--spring.datasource.username=sa",
                            // Six identical requests: each must be a job of its own, not a cache hit.
                            "--stillwater.cache.enabled=false",
                            // prod starts only with an intake key configured.
                            "--stillwater.security.intake.api-keys=" + ServiceClient.TEST_API_KEY,
                            "--camel.main.name=standalone-broker-it")) {
                ServiceClient client = ServiceClient.withApiKey(
                        ((ServletWebServerApplicationContext) service).getWebServer().getPort(), ServiceClient.TEST_API_KEY);

                List<String> accepted = new ArrayList<>();
                for (String priority : List.of("background", "normal", "urgent", "background", "normal", "urgent")) {
                    ServiceClient.Answer answer = client.uploadRaw(TestImages.jpeg(640, 480), "image/jpeg",
                            "preset=thumbnail&priority=" + priority);
                    assertThat(answer.status()).as("intake of a %s job", priority).isEqualTo(202);
                    accepted.add(answer.body().path("id").asText());
                }

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(accepted)
                        .allSatisfy(id -> assertThat(client.job(id).path("status").asText()).isEqualTo("succeeded")));
                for (String id : accepted) {
                    JsonNode job = client.job(id);
                    assertThat(job.path("attempts").asInt()).isEqualTo(1);
                    JsonNode output = job.path("outputs").get(0);
                    assertThat(output.path("name").asText()).isEqualTo("thumbnail");
                    HttpResponse<byte[]> download = client.download(output.path("url").asText());
                    assertThat(download.statusCode()).isEqualTo(200);
                    assertThat(ImageFormat.sniff(download.body())).contains(ImageFormat.JPEG);
                }
            }
            // The messages went through the standalone broker: no broker ran inside the service.
            assertThat(data.resolve("artemis")).doesNotExist();
            assertThat(broker.isRunning()).isTrue();
        } finally {
            broker.close();
        }
        assertThat(broker.isRunning()).isFalse();
    }
}
