package io.stillwater.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.CraftedImages;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.TestImages;
import io.stillwater.image.ImageFormat;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;

/**
 * The upload pipeline end to end, as a client sees it: real HTTP into the service, the embedded
 * persistent Artemis broker, the embedded S3-protocol server, H2 on disk; renditions downloaded over
 * plain HTTP from their presigned URLs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    // The same image is sent again and again: each request must be a job of its own, not a cache hit.
    "stillwater.cache.enabled=false",
    "stillwater.storage.embedded.port=0",
    "stillwater.limits.max-bytes=2MB",
    "stillwater.limits.max-pixels=4000000",
    "stillwater.limits.max-frames=3",
    "camel.main.name=upload-pipeline-test",
    "stillwater.instance-id=pipeline-test"
})
class UploadPipelineTest extends ServiceTest {

    private static final String NORMAL_WORKERS = "consume-normal-jobs";

    @Autowired
    CamelContext camel;

    ServiceClient client;

    @BeforeEach
    void startWorkers() throws Exception {
        client = client();
        camel.getRouteController().startRoute(NORMAL_WORKERS);
    }

    @Test
    void anUploadIsAcceptedAtOnceThenRenderedAndEachRenditionDownloadsWithPlainHttp() throws IOException {
        String spec = """
                {"outputs": [
                  {"name": "inside", "ops": [{"op": "resize", "width": 400, "height": 400, "fit": "inside"}]},
                  {"name": "cover", "ops": [{"op": "resize", "width": 200, "height": 200, "fit": "cover"}],
                   "format": "png"}
                 ],
                 "metadata": {"farm": "north"}}
                """;

        ServiceClient.Answer accepted = client.upload(TestImages.jpeg(1600, 1200), "pen-4.jpg", "image/jpeg", spec);

        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.body().path("id").asText();
        assertThat(accepted.location()).isEqualTo("/api/v1/jobs/" + id);
        assertThat(accepted.body().path("status").asText()).isEqualTo("queued");
        assertThat(accepted.body().path("source").path("format").asText()).isEqualTo("jpeg");
        assertThat(accepted.body().path("source").path("width").asInt()).isEqualTo(1600);

        JsonNode job = client.awaitStatus(id, "succeeded");

        assertThat(statuses(job)).containsExactly("queued", "processing", "succeeded");
        assertThat(job.path("history").get(1).path("detail").asText()).isEqualTo("attempt 1 on pipeline-test");
        assertThat(job.path("attempts").asInt()).isEqualTo(1);
        assertThat(job.path("metadata").path("farm").asText()).isEqualTo("north");
        assertThat(job.has("error")).isFalse();
        assertRendition(output(job, "inside"), ImageFormat.JPEG, 400, 300);
        assertRendition(output(job, "cover"), ImageFormat.PNG, 200, 200);
    }

    @Test
    void aRawImageBodyTakesItsSpecFromTheQuery() throws IOException {
        ServiceClient.Answer accepted = client.uploadRaw(TestImages.png(900, 600), "image/png",
                "preset=thumbnail&priority=urgent");

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.body().path("priority").asText()).isEqualTo("urgent");
        JsonNode job = client.awaitStatus(accepted.body().path("id").asText(), "succeeded");
        assertRendition(output(job, "thumbnail"), ImageFormat.JPEG, 256, 256);
    }

    @Test
    void withoutOutputsTheDefaultPresetApplies() throws IOException {
        ServiceClient.Answer accepted = client.upload(TestImages.jpeg(2000, 1000), "wide.jpg", "image/jpeg", null);

        JsonNode job = client.awaitStatus(accepted.body().path("id").asText(), "succeeded");
        assertRendition(output(job, "web"), ImageFormat.JPEG, 1600, 800);
    }

    @Test
    void anInvalidSpecIsA400NamingTheField() {
        String spec = """
                {"outputs": [{"name": "t", "ops": [{"op": "resize", "width": -10, "height": 100}]}]}
                """;

        ServiceClient.Answer answer = client.upload(TestImages.jpeg(100, 100), "a.jpg", "image/jpeg", spec);

        assertProblem(answer, 400, "invalid-spec");
        assertThat(answer.body().path("field").asText()).isEqualTo("outputs[0].ops[0].width");
    }

    @Test
    void unknownFieldsOperationsAndPresetsAreNamedToo() {
        assertThat(client.upload(TestImages.jpeg(10, 10), "a.jpg", "image/jpeg", "{\"outptus\": []}")
                .body().path("field").asText()).isEqualTo("outptus");
        assertThat(client.upload(TestImages.jpeg(10, 10), "a.jpg", "image/jpeg",
                "{\"outputs\": [{\"name\": \"x\", \"ops\": [{\"op\": \"explode\"}]}]}").body().path("field").asText())
                .isEqualTo("outputs[0].ops[0].op");
        assertThat(client.upload(TestImages.jpeg(10, 10), "a.jpg", "image/jpeg", "{\"preset\": \"huge\"}")
                .body().path("field").asText()).isEqualTo("preset");
        assertThat(client.upload(TestImages.jpeg(10, 10), "a.jpg", "image/jpeg", "{\"priority\": \"now\"}")
                .body().path("field").asText()).isEqualTo("priority");
        assertThat(client.upload(TestImages.jpeg(10, 10), "a.jpg", "image/jpeg", "{not json")
                .status()).isEqualTo(400);
    }

    @Test
    void anUploadOverTheByteLimitIsA413WithTheLimit() {
        byte[] big = new byte[3 * 1024 * 1024];
        System.arraycopy(TestImages.jpeg(64, 64), 0, big, 0, 100);

        ServiceClient.Answer multipart = client.upload(big, "big.jpg", "image/jpeg", null);
        ServiceClient.Answer raw = client.uploadRaw(big, "image/jpeg", null);

        assertProblem(multipart, 413, "payload-too-large");
        assertThat(multipart.body().path("limit").asLong()).isEqualTo(2 * 1024 * 1024);
        assertProblem(raw, 413, "payload-too-large");
        assertThat(raw.body().path("limit").asLong()).isEqualTo(2 * 1024 * 1024);
    }

    @Test
    void aTextFileNamedAndLabelledAsJpegIsA415() {
        byte[] text = "this is not a picture of a fish".getBytes(StandardCharsets.UTF_8);

        assertProblem(client.upload(text, "fish.jpg", "image/jpeg", null), 415, "unsupported-image");
        assertProblem(client.uploadRaw(text, "image/jpeg", null), 415, "unsupported-image");
    }

    @Test
    void anImageOverThePixelLimitIsA422WithTheLimit() {
        // 2500 × 2000 = 5 MP against a 4 MP limit, in a few kilobytes.
        byte[] png = TestImages.encode(new BufferedImage(2500, 2000, BufferedImage.TYPE_BYTE_BINARY), "png");

        ServiceClient.Answer answer = client.upload(png, "wide.png", "image/png", null);

        assertProblem(answer, 422, "image-too-large");
        assertThat(answer.body().path("limit").asLong()).isEqualTo(4_000_000);
    }

    @Test
    void anAnimationWithMoreFramesThanTheLimitIsA422AtIntake() {
        byte[] gif = CraftedImages.animatedGif(40, 30, 0xff0000, 0x00ff00, 0x0000ff, 0xffffff);

        ServiceClient.Answer answer = client.upload(gif, "loop.gif", "image/gif", null);

        assertProblem(answer, 422, "image-too-large");
        assertThat(answer.body().path("limit").asLong()).isEqualTo(3);
    }

    @Test
    void anUnknownJobIsA404() {
        assertProblem(client.get("/api/v1/jobs/7e1f3c1e-0000-4000-8000-000000000000"), 404, "not-found");
    }

    @Test
    void aMissingImagePartIsA400NamingIt() {
        ServiceClient.Answer answer = client.uploadRaw(new byte[0], "image/jpeg", null);

        assertProblem(answer, 400, "invalid-request");
        assertThat(answer.body().path("field").asText()).isEqualTo("image");
    }

    @Test
    void aCorruptImageEndsFailedWithAReasonWhileTheWorkerGoesOnServingOthers() throws IOException {
        byte[] truncated = TestImages.truncated(TestImages.jpeg(1200, 900), 0.4);

        String broken = client.upload(truncated, "broken.jpg", "image/jpeg", null).body().path("id").asText();
        String fine = client.upload(TestImages.jpeg(800, 600), "fine.jpg", "image/jpeg", null).body().path("id").asText();

        JsonNode failed = client.awaitStatus(broken, "failed");
        assertThat(failed.path("error").path("code").asText()).isEqualTo("corrupt-image");
        assertThat(failed.path("error").path("message").asText()).contains("damaged");
        assertThat(failed.path("outputs")).isEmpty();
        client.awaitStatus(fine, "succeeded");
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheSameJobAndRefusesADifferentImage() {
        byte[] image = TestImages.jpeg(300, 200);

        ServiceClient.Answer first = client.upload(image, "a.jpg", "image/jpeg", null, "order-1234");
        ServiceClient.Answer again = client.upload(image, "a.jpg", "image/jpeg", null, "order-1234");
        ServiceClient.Answer other = client.upload(TestImages.jpeg(301, 200), "b.jpg", "image/jpeg", null, "order-1234");

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.body().path("id").asText()).isEqualTo(first.body().path("id").asText());
        assertThat(again.headers().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertProblem(other, 422, "idempotency-key-reused");
    }

    @Test
    void aQueuedJobCanBeCancelledAndIsThenNeverProcessed() throws Exception {
        camel.getRouteController().stopRoute(NORMAL_WORKERS);
        String id = client.upload(TestImages.jpeg(400, 300), "a.jpg", "image/jpeg", null).body().path("id").asText();

        ServiceClient.Answer cancelled = client.delete("/api/v1/jobs/" + id);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");

        camel.getRouteController().startRoute(NORMAL_WORKERS);
        String later = client.upload(TestImages.jpeg(400, 300), "b.jpg", "image/jpeg", null).body().path("id").asText();
        client.awaitStatus(later, "succeeded");

        assertThat(client.job(id).path("status").asText()).isEqualTo("cancelled");
        assertThat(client.job(id).path("attempts").asInt()).isZero();
        assertProblem(client.delete("/api/v1/jobs/" + id), 409, "not-cancellable");
        assertProblem(client.delete("/api/v1/jobs/" + later), 409, "not-cancellable");
    }

    @Test
    void jobsAreListedNewestFirstPageByPage() {
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            submitted.add(0, client.upload(TestImages.jpeg(50 + i, 50), "a.jpg", "image/jpeg", null)
                    .body().path("id").asText());
        }

        JsonNode first = client.get("/api/v1/jobs?limit=2").body();
        JsonNode second = client.get("/api/v1/jobs?limit=2&cursor=" + first.path("nextCursor").asText()).body();

        List<String> seen = new ArrayList<>();
        first.path("items").forEach(j -> seen.add(j.path("id").asText()));
        second.path("items").forEach(j -> seen.add(j.path("id").asText()));
        assertThat(seen.subList(0, 3)).containsExactlyElementsOf(submitted);
        assertProblem(client.get("/api/v1/jobs?status=sleeping"), 400, "invalid-request");
    }

    private static List<String> statuses(JsonNode job) {
        List<String> statuses = new ArrayList<>();
        job.path("history").forEach(e -> statuses.add(e.path("status").asText()));
        return statuses;
    }

    private static JsonNode output(JsonNode job, String name) {
        for (JsonNode output : job.path("outputs")) {
            if (output.path("name").asText().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("no output " + name + " in " + job);
    }

    private void assertRendition(JsonNode output, ImageFormat format, int width, int height) throws IOException {
        assertThat(output.path("format").asText()).isEqualTo(format.id());
        assertThat(output.path("width").asInt()).isEqualTo(width);
        assertThat(output.path("height").asInt()).isEqualTo(height);

        HttpResponse<byte[]> download = client.download(output.path("url").asText());

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).hasSize(output.path("bytes").asInt());
        assertThat(ImageFormat.sniff(download.body())).contains(format);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(download.body()));
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
    }

    private static void assertProblem(ServiceClient.Answer answer, int status, String code) {
        assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).isNotNull();
        assertThat(answer.contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(answer.body().path("type").asText()).isEqualTo("urn:stillwater:problem:" + code);
        assertThat(answer.body().path("status").asInt()).isEqualTo(status);
        assertThat(answer.body().path("detail").asText()).isNotBlank();
        assertThat(answer.body().toString()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
