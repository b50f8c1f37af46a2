package io.stillwater.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ObjectStoreServer;
import io.stillwater.ServiceClient;
import io.stillwater.StillwaterApplication;
import io.stillwater.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The outbox survives a restart of the edge: stills rendered while the cloud store was down wait in
 * the persistent outbox and the local store under the data directory, and a new service on the same
 * directory uploads them all once the cloud store is back.
 */
class EdgeRestartTest {

    @TempDir
    Path data;

    private final ObjectStoreServer cloud = ObjectStoreServer.start();

    @AfterEach
    void stopCloudStore() {
        cloud.close();
    }

    @Test
    void stillsWaitingForTheUplinkAreUploadedByTheNextServiceOnTheSameData() {
        cloud.stop();
        List<String> ids = new ArrayList<>();
        try (ConfigurableApplicationContext first = start()) {
            ServiceClient client = ServiceClient.withApiKey(port(first), ServiceClient.TEST_API_KEY);
            for (int i = 0; i < 3; i++) {
                ServiceClient.Answer accepted = client.uploadRaw(TestImages.jpeg(500 + i, 400), "image/jpeg",
                        "preset=thumbnail&priority=" + (i == 0 ? "background" : "urgent"));
                assertThat(accepted.status()).isEqualTo(202);
                ids.add(accepted.body().path("id").asText());
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids).allSatisfy(id ->
                    assertThat(client.job(id).path("history").findValuesAsText("detail"))
                            .anySatisfy(detail -> assertThat(detail).endsWith("waiting for the uplink"))));
            assertThat(outbox(first)).hasSize(3);
        }
        assertThat(cloud.keys("stillwater")).isEmpty();

        cloud.restart();
        try (ConfigurableApplicationContext second = start()) {
            ServiceClient client = ServiceClient.withApiKey(port(second), ServiceClient.TEST_API_KEY);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids).allSatisfy(id ->
                    assertThat(client.job(id).path("status").asText()).isEqualTo("succeeded")));
            List<String> keys = new ArrayList<>();
            for (String id : ids) {
                JsonNode thumbnail = client.job(id).path("outputs").get(0);
                keys.add(thumbnail.path("key").asText());
                assertThat(client.download(thumbnail.path("url").asText()).statusCode()).isEqualTo(200);
            }
            assertThat(cloud.keys("stillwater")).containsExactlyInAnyOrderElementsOf(keys);
            assertThat(outbox(second)).isEmpty();
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(StillwaterApplication.class).run(
                "--server.port=0",
                "--stillwater.data-dir=" + data,
                "--stillwater.storage.embedded.port=0",
                "--stillwater.role=edge",
                "--stillwater.uplink.retry-interval=1s",
                "--stillwater.uplink.store.endpoint=" + cloud.endpoint(),
                "--stillwater.uplink.store.access-key=" + ObjectStoreServer.ACCESS_KEY,
                "--stillwater.uplink.store.secret-key=" + ObjectStoreServer.SECRET_KEY,
                "--stillwater.security.intake.api-keys=" + ServiceClient.TEST_API_KEY,
                "--camel.main.name=edge-restart");
    }

    /** The local copies waiting for the uplink, in the service's own store. */
    private static List<String> outbox(ConfigurableApplicationContext context) {
        return context.getBean(S3Client.class).listObjectsV2(r -> r.bucket("stillwater").prefix("outbox/")).contents()
                .stream().map(o -> o.key()).toList();
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((ServletWebServerApplicationContext) context).getWebServer().getPort();
    }
}
