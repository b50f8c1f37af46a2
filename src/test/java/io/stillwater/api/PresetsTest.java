package io.stillwater.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.TestImages;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@code GET /api/v1/presets} lists the configured presets, one added by configuration included, with the
 * outputs a job naming each gets, and the default; clients read it with their API key, operators with their
 * account, anyone else not at all.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    "stillwater.processing.auto-startup=false",
    "stillwater.security.operator.username=ops",
    "stillwater.security.operator.password=presets-test-operator",
    "stillwater.presets.banner[0].name=banner",
    "stillwater.presets.banner[0].ops[0].op=resize",
    "stillwater.presets.banner[0].ops[0].width=1200",
    "stillwater.presets.banner[0].ops[0].height=300",
    "stillwater.presets.banner[0].ops[0].fit=cover",
    "stillwater.presets.banner[0].format=webp",
    "stillwater.jobs.default-preset=thumbnail",
    "camel.main.name=presets-test"
})
class PresetsTest extends ServiceTest {

    @Test
    void clientsSeeEveryConfiguredPresetWithItsOutputsAndTheDefault() {
        ServiceClient.Answer answer = client().get("/api/v1/presets");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("defaultPreset").asText()).isEqualTo("thumbnail");
        List<String> names = new ArrayList<>();
        answer.body().path("items").forEach(item -> names.add(item.path("name").asText()));
        assertThat(names).containsExactly("banner", "compressed", "thumbnail", "web");
        JsonNode banner = answer.body().path("items").get(0).path("outputs").get(0);
        assertThat(banner.path("name").asText()).isEqualTo("banner");
        assertThat(banner.path("format").asText()).isEqualTo("webp");
        assertThat(banner.path("quality").asInt()).isEqualTo(80);
        JsonNode resize = banner.path("ops").get(0);
        assertThat(resize.path("op").asText()).isEqualTo("resize");
        assertThat(resize.path("width").asInt()).isEqualTo(1200);
        assertThat(resize.path("height").asInt()).isEqualTo(300);
        assertThat(resize.path("fit").asText()).isEqualTo("cover");
    }

    @Test
    void aPresetListedIsOneAJobMayName() {
        ServiceClient.Answer accepted = client().uploadRaw(TestImages.jpeg(64, 48), "image/jpeg",
                "preset=banner");

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(client().uploadRaw(TestImages.jpeg(64, 48), "image/jpeg", "preset=poster")
                .body().path("detail").asText()).contains("banner", "compressed", "thumbnail", "web");
    }

    @Test
    void operatorsMayReadThePresetsAndAnonymousCallersMayNot() {
        ServiceClient.Answer operator = ServiceClient.as(port, "ops", "presets-test-operator").get("/api/v1/presets");
        ServiceClient.Answer anonymous = anonymous().get("/api/v1/presets");

        assertThat(operator.status()).isEqualTo(200);
        assertThat(operator.body().path("items").size()).isEqualTo(4);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body().path("type").asText()).isEqualTo("urn:stillwater:problem:unauthorized");
        assertThat(anonymous.headers().getFirst("WWW-Authenticate")).startsWith("ApiKey ");
        assertThat(client().post("/api/v1/presets", "application/json", "{}").status()).isEqualTo(403);
    }
}
