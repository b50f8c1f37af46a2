package io.stillwater.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ObjectStoreServer;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The probes: readiness is up while the broker, the database and the object store answer, and down (503)
 * while the object store is gone; liveness stays up throughout, since a restart would not bring the store
 * back. Anyone may ask; only the operator sees the parts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.processing.auto-startup=false",
    "stillwater.security.operator.username=ops",
    "stillwater.security.operator.password=health-secret-for-tests",
    "camel.main.name=health-groups-test"
})
class HealthGroupsTest extends ServiceTest {

    static ObjectStoreServer objects;

    @DynamicPropertySource
    static void objectStore(DynamicPropertyRegistry registry) {
        objects = ObjectStoreServer.start();
        objects.register(registry);
    }

    @AfterAll
    static void stopObjectStore() {
        objects.close();
    }

    @Test
    void readinessFollowsTheObjectStoreAndLivenessDoesNot() {
        ServiceClient operator = ServiceClient.as(port, "ops", "health-secret-for-tests");

        ServiceClient.Answer ready = anonymous().get("/actuator/health/readiness");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("status").asText()).isEqualTo("UP");
        assertThat(ready.body().has("components")).as("parts shown to anyone").isFalse();
        JsonNode parts = operator.get("/actuator/health/readiness").body().path("components");
        for (String part : List.of("readinessState", "db", "jms", "objectStore")) {
            assertThat(parts.path(part).path("status").asText()).as(part).isEqualTo("UP");
        }
        assertThat(live(operator).path("components").has("objectStore")).isFalse();

        objects.stop();
        try {
            ServiceClient.Answer down = await().atMost(Duration.ofSeconds(20))
                    .until(() -> anonymous().get("/actuator/health/readiness"), answer -> answer.status() == 503);
            assertThat(down.body().path("status").asText()).isEqualTo("DOWN");
            assertThat(down.text()).doesNotContain("objectStore").doesNotContain(objects.endpoint());
            JsonNode whileDown = operator.get("/actuator/health/readiness").body().path("components");
            assertThat(whileDown.path("objectStore").path("status").asText()).isEqualTo("DOWN");
            assertThat(whileDown.path("db").path("status").asText()).isEqualTo("UP");
            assertThat(whileDown.path("jms").path("status").asText()).isEqualTo("UP");
            assertThat(live(operator).path("status").asText()).isEqualTo("UP");
            assertThat(anonymous().get("/actuator/health/liveness").status()).isEqualTo(200);
        } finally {
            objects.restart();
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> anonymous().get("/actuator/health/readiness").status(), status -> status == 200);
    }

    private JsonNode live(ServiceClient operator) {
        ServiceClient.Answer live = operator.get("/actuator/health/liveness");
        assertThat(live.status()).isEqualTo(200);
        return live.body();
    }
}
