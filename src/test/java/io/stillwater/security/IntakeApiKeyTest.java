package io.stillwater.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.TestImages;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;

/**
 * Intake over real HTTP: submitting, reading and cancelling jobs needs an intake API key in {@code X-Api-Key};
 * a key opens no operator endpoint; operators may read jobs but not submit or cancel them. Every refusal is a
 * problem body, a {@code 401} saying how to authenticate. The web page's files are open to anyone; nothing
 * behind them is.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    "stillwater.processing.auto-startup=false",
    "stillwater.security.operator.username=ops",
    "stillwater.security.operator.password=intake-test-operator",
    "camel.main.name=intake-api-key-test"
})
class IntakeApiKeyTest extends ServiceTest {

    @Test
    void withoutAKeyIntakeAnswers401AndAcceptsNothing() {
        ServiceClient anonymous = anonymous();

        ServiceClient.Answer submit = anonymous.upload(TestImages.jpeg(40, 30), "a.jpg", "image/jpeg", null);
        ServiceClient.Answer list = anonymous.get("/api/v1/jobs");

        for (ServiceClient.Answer answer : new ServiceClient.Answer[] {submit, list}) {
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(answer.body().path("type").asText()).isEqualTo("urn:stillwater:problem:unauthorized");
            assertThat(answer.headers().getFirst("WWW-Authenticate")).startsWith("ApiKey ").contains("X-Api-Key");
        }
        // Nothing of that request became a job (its image is the only one 40 pixels wide).
        assertThat(client().get("/api/v1/jobs").body().path("items").findValues("width"))
                .noneMatch(width -> width.asInt() == 40);
    }

    @Test
    void aWrongKeyAnswers401AndTheRightKey202() {
        ServiceClient wrong = ServiceClient.withApiKey(port, ServiceClient.TEST_API_KEY + "x");

        ServiceClient.Answer refused = wrong.uploadRaw(TestImages.jpeg(41, 30), "image/jpeg", "preset=thumbnail");
        ServiceClient.Answer accepted = client().uploadRaw(TestImages.jpeg(41, 30), "image/jpeg", "preset=thumbnail");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body().path("type").asText()).isEqualTo("urn:stillwater:problem:unauthorized");
        assertThat(refused.body().path("detail").asText()).contains("X-Api-Key");
        assertThat(wrong.get("/api/v1/jobs").status()).isEqualTo(401);
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.body().path("id").asText();
        assertThat(client().get("/api/v1/jobs/" + id).body().path("status").asText()).isEqualTo("queued");
        assertThat(client().delete("/api/v1/jobs/" + id).body().path("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void aKeyOpensNoOperatorEndpoint() {
        ServiceClient withKey = client();

        for (String path : new String[] {"/api/v1/dead-letters", "/api/v1/dead-letters/some-job"}) {
            ServiceClient.Answer answer = withKey.get(path);
            assertThat(answer.status()).as(path).isEqualTo(403);
            assertThat(answer.body().path("type").asText()).isEqualTo("urn:stillwater:problem:forbidden");
        }
        assertThat(withKey.post("/api/v1/dead-letters/replay").status()).isEqualTo(403);
        assertThat(withKey.delete("/api/v1/admin/sources/" + "0".repeat(64) + "/renditions").status()).isEqualTo(403);
    }

    @Test
    void operatorsMayReadJobsButNotSubmitOrCancelThem() {
        ServiceClient operator = ServiceClient.as(port, "ops", "intake-test-operator");
        String id = client().upload(TestImages.jpeg(42, 30), "a.jpg", "image/jpeg", null).body().path("id").asText();

        ServiceClient.Answer read = operator.get("/api/v1/jobs/" + id);
        ServiceClient.Answer submit = operator.upload(TestImages.jpeg(43, 30), "b.jpg", "image/jpeg", null);
        ServiceClient.Answer cancel = operator.delete("/api/v1/jobs/" + id);

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().path("id").asText()).isEqualTo(id);
        assertThat(operator.get("/api/v1/jobs").status()).isEqualTo(200);
        for (ServiceClient.Answer refused : new ServiceClient.Answer[] {submit, cancel}) {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body().path("type").asText()).isEqualTo("urn:stillwater:problem:forbidden");
        }
        assertThat(client().job(id).path("status").asText()).isEqualTo("queued");
    }

    @Test
    void healthStaysOpenAndNothingElseIsServedWithoutCredentials() {
        assertThat(anonymous().get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(anonymous().get("/actuator/info").status()).isEqualTo(401);
        assertThat(client().get("/actuator/info").status()).isEqualTo(403);
    }

    @Test
    void theWebPageIsOpenToAnyoneAndOpensNothingBehindIt() {
        ServiceClient anonymous = anonymous();

        ServiceClient.Answer page = anonymous.get("/");
        ServiceClient.Answer script = anonymous.get("/app.js");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType().isCompatibleWith(MediaType.TEXT_HTML)).isTrue();
        assertThat(page.text()).contains("<script type=\"module\" src=\"app.js\"></script>");
        assertThat(page.headers().getFirst("Content-Security-Policy"))
                .contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.text()).contains("X-Api-Key");
        assertThat(anonymous.post("/").status()).isEqualTo(401);
        assertThat(anonymous.get("/api/v1/jobs").status()).isEqualTo(401);
        assertThat(anonymous.get("/api/v1/dead-letters").status()).isEqualTo(401);
    }
}
