package io.stillwater.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.SourceServer;
import io.stillwater.TestImages;
import io.stillwater.image.ImageFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * URL sources through the whole service: a real HTTP server on loopback, allow-listed by its exact
 * {@code 127.0.0.1:port}, plays the sources; every other internal target stays refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    "stillwater.fetch.read-timeout=1s",
    "stillwater.retry.max-redeliveries=1",
    "stillwater.retry.delay=50ms",
    "stillwater.retry.max-delay=100ms",
    "stillwater.limits.max-bytes=2MB",
    "camel.main.name=url-sources-test"
})
class UrlSourcesTest extends ServiceTest {

    private static final byte[] PHOTO = TestImages.jpeg(400, 300);
    private static final SourceServer SOURCES = new SourceServer(PHOTO);

    @DynamicPropertySource
    static void sources(DynamicPropertyRegistry registry) {
        registry.add("stillwater.fetch.allow-hosts", () -> "127.0.0.1:" + SOURCES.port());
    }

    @AfterAll
    static void stopSources() {
        SOURCES.close();
    }

    @Test
    void aUrlJobIsFetchedRenderedAndItsResultAnswersAnUploadOfTheSameBytes() {
        ServiceClient client = client();
        ServiceClient.Answer accepted = client.submitJson("""
                {"source": {"url": "%s"}, "preset": "thumbnail", "metadata": {"sku": "A-1"}}
                """.formatted(SOURCES.url("/photo.jpg")), null);

        assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
        assertThat(accepted.body().path("source").path("kind").asText()).isEqualTo("url");
        assertThat(accepted.body().path("source").path("url").asText()).isEqualTo(SOURCES.url("/photo.jpg"));
        assertThat(accepted.body().path("source").has("width")).as("unknown until fetched").isFalse();

        String id = accepted.body().path("id").asText();
        JsonNode job = client.awaitStatus(id, "succeeded");
        assertThat(job.path("source").path("format").asText()).isEqualTo("jpeg");
        assertThat(job.path("source").path("width").asInt()).isEqualTo(400);
        assertThat(job.path("source").path("bytes").asLong()).isEqualTo(PHOTO.length);
        assertThat(job.path("metadata").path("sku").asText()).isEqualTo("A-1");
        JsonNode output = job.path("outputs").get(0);
        assertThat(output.path("width").asInt()).isEqualTo(256);
        byte[] rendition = client.download(output.path("url").asText()).body();
        assertThat(ImageFormat.sniff(rendition)).contains(ImageFormat.JPEG);
        assertThat(job.path("attempts").asInt()).isEqualTo(1);

        // The fetched bytes are known now: the same image uploaded for the same outputs is that result.
        ServiceClient.Answer upload = client.upload(PHOTO, "same.jpg", "image/jpeg", "{\"preset\": \"thumbnail\"}");
        assertThat(upload.status()).isEqualTo(200);
        assertThat(upload.body().path("id").asText()).isEqualTo(id);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/to-metadata, source-not-allowed",
        "/to-localhost, source-not-allowed",
        "/to-file, source-not-allowed",
        "/hops/5, too-many-redirects",
        "/missing.jpg, source-rejected",
        "/text.jpg, unsupported-image"
    })
    void aRefusedSourceFailsItsJobAtOnceWithTheReason(String path, String code) {
        String id = submitted(SOURCES.url(path));

        JsonNode job = client().awaitStatus(id, "failed");
        assertThat(job.path("error").path("code").asText()).as(job.toString()).isEqualTo(code);
        assertThat(job.path("attempts").asInt()).as("not retried").isEqualTo(1);
        assertThat(job.path("outputs")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // Loopback by another name, and loopback on a port that is not the allow-listed one.
        "http://localhost:{port}/photo.jpg",
        "http://127.0.0.1:1/photo.jpg",
        "http://[::1]:{port}/photo.jpg",
        "http://[::ffff:127.0.0.1]:{port}/photo.jpg",
        "http://169.254.169.254/latest/meta-data/"
    })
    void anInternalAddressIsNeverConnectedTo(String url) {
        String id = submitted(url.replace("{port}", String.valueOf(SOURCES.port())));

        JsonNode job = client().awaitStatus(id, "failed");
        assertThat(job.path("error").path("code").asText()).isEqualTo("source-not-allowed");
        assertThat(job.path("error").path("message").asText()).contains("not a public address");
    }

    @Test
    void anEndlessBodyIsCutOffAtTheByteLimit() {
        String id = submitted(SOURCES.url("/endless.jpg?cut=1"));

        JsonNode job = client().awaitStatus(id, "failed");
        assertThat(job.path("error").path("code").asText()).isEqualTo("source-too-large");
        // 2 MB read, plus what socket buffers held; the server would have sent 1 GiB.
        assertThat(SOURCES.endlessBytesSent.get()).isLessThan(64L << 20);
    }

    @Test
    void redirectsUpToTheLimitAreFollowed() {
        String id = submitted(SOURCES.url("/hops/4?chain=ok"));

        client().awaitStatus(id, "succeeded");
        assertThat(SOURCES.requests("/hops/0?chain=ok")).isEqualTo(1);
        assertThat(SOURCES.requests("/photo.jpg?chain=ok")).isEqualTo(1);
    }

    @Test
    void aSourceThatAnswers503IsRetriedAndSucceeds() {
        String id = submitted(SOURCES.url("/flaky.jpg"));

        JsonNode job = client().awaitStatus(id, "succeeded");
        assertThat(job.path("attempts").asInt()).isEqualTo(2);
        assertThat(SOURCES.requests("/flaky.jpg")).isEqualTo(2);
    }

    @Test
    void aSourceThatStallsTimesOutIsRetriedThenDeadLettered() {
        String id = submitted(SOURCES.url("/stalls.jpg"));

        JsonNode job = client().awaitStatus(id, "dead_lettered");
        assertThat(job.path("attempts").asInt()).as("first try and max-redeliveries=1").isEqualTo(2);
        assertThat(job.path("error").path("message").asText()).containsIgnoringCase("timed out");
        assertThat(SOURCES.requests("/stalls.jpg")).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"preset\": \"web\"}                                         | source",
        "{\"source\": \"https://example.com/a.jpg\"}                   | source",
        "{\"source\": {}}                                               | source.url",
        "{\"source\": {\"url\": 5}}                                     | source.url",
        "{\"source\": {\"url\": \"ftp://example.com/a.jpg\"}}           | source.url",
        "{\"source\": {\"url\": \"http://2130706433/a.jpg\"}}           | source.url",
        "{\"source\": {\"url\": \"http://me:pw@example.com/a.jpg\"}}    | source.url",
        "{\"source\": {\"url\": \"https://example.com/a.jpg\", \"x\": 1}} | source.x",
        "{\"source\": {\"url\": \"https://example.com/a.jpg\"}, \"size\": 1} | size",
        "[1, 2]                                                         | spec"
    })
    void intakeRefusesABadJsonJobNamingTheField(String body, String field) {
        ServiceClient.Answer answer = client().submitJson(body, null);

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(400);
        assertThat(answer.body().path("field").asText()).isEqualTo(field);
        assertThat(answer.contentType().toString()).startsWith("application/problem+json");
    }

    @Test
    void anIdempotencyKeyReturnsTheSameUrlJobAndRefusesAnotherUrl() {
        String body = "{\"source\": {\"url\": \"%s\"}}".formatted(SOURCES.url("/photo.jpg?v=key"));
        ServiceClient.Answer first = client().submitJson(body, "url-key-1");
        ServiceClient.Answer again = client().submitJson(body, "url-key-1");
        ServiceClient.Answer other = client().submitJson(body.replace("v=key", "v=other"), "url-key-1");

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.body().path("id").asText()).isEqualTo(first.body().path("id").asText());
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.body().path("field").asText()).isEqualTo("Idempotency-Key");
    }

    private String submitted(String url) {
        ServiceClient.Answer answer = client().submitJson("{\"source\": {\"url\": \"%s\"}}".formatted(url), null);
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
        return answer.body().path("id").asText();
    }
}
