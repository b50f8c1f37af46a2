package io.stillwater.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.TestImages;
import io.stillwater.image.OutputSpec;
import io.stillwater.image.Resize;
import io.stillwater.job.CacheKeys;
import io.stillwater.job.Submission;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The result cache through the API: the same bytes with the same normalised outputs are answered by
 * the job that made (200) or is making (202, coalesced) that result; renditions are named by source
 * hash and spec hash; an operator's purge deletes every variant of a source, after which the same
 * request is processed afresh. Each test uses images of its own sizes, so no two share a source.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    "stillwater.processing.auto-startup=false",
    "stillwater.security.operator.username=ops",
    "stillwater.security.operator.password=purge-secret",
    "camel.main.name=result-cache-test"
})
class ResultCacheTest extends ServiceTest {

    private static final String NORMAL_WORKERS = "consume-normal-jobs";
    private static final String SMALL = """
            {"outputs": [{"name": "small", "ops": [{"op": "resize", "width": 200}]}]}""";
    /** {@link #SMALL} with its defaults written out and a different name. */
    private static final String SMALL_SPELT_OUT = """
            {"outputs": [{"name": "small", "ops": [{"op": "resize", "width": 200}], "format": "jpeg", "quality": 80}],
             "priority": "urgent", "metadata": {"batch": "7"}}""";

    @Autowired
    CamelContext camel;

    ServiceClient client;
    ServiceClient operator;

    @BeforeEach
    void connect() {
        client = client();
        operator = ServiceClient.as(port, "ops", "purge-secret");
    }

    @Test
    void theSameRequestAfterSuccessIsAnswered200WithTheFinishedJobAndNothingIsProcessedAgain() throws Exception {
        startWorkers();
        byte[] image = TestImages.jpeg(640, 480);
        ServiceClient.Answer first = client.upload(image, "first.jpg", "image/jpeg", SMALL);
        assertThat(first.status()).isEqualTo(202);
        String id = first.body().path("id").asText();
        JsonNode done = client.awaitStatus(id, "succeeded");
        int jobs = jobCount();

        // Other file name, priority and metadata; the same bytes and, once normalised, the same outputs.
        ServiceClient.Answer again = client.upload(image, "again.jpg", "image/jpeg", SMALL_SPELT_OUT);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.location()).isEqualTo("/api/v1/jobs/" + id);
        assertThat(again.body().path("id").asText()).isEqualTo(id);
        assertThat(again.body().path("status").asText()).isEqualTo("succeeded");
        assertThat(again.body().path("outputs").get(0).path("key").asText())
                .isEqualTo(done.path("outputs").get(0).path("key").asText());
        assertThat(client.download(again.body().path("outputs").get(0).path("url").asText()).statusCode())
                .isEqualTo(200);
        assertThat(jobCount()).isEqualTo(jobs);
        assertThat(client.job(id).path("attempts").asInt()).isEqualTo(1);
        assertThat(client.job(id).path("history")).hasSize(3);
    }

    @Test
    void renditionKeysAreTheSourceHashAndTheOutputSpecHashSoTheyMeanTheSameAfterARestart() {
        startWorkers();
        byte[] image = TestImages.jpeg(500, 400);
        String id = client.upload(image, "k.jpg", "image/jpeg", SMALL).body().path("id").asText();

        String key = client.awaitStatus(id, "succeeded").path("outputs").get(0).path("key").asText();

        String specHash = CacheKeys.output(
                new OutputSpec("any-name", List.of(new Resize(200, null, null, null, null, null)), null, null));
        assertThat(key).isEqualTo("renditions/" + Submission.sha256(image) + "/" + specHash + ".jpg");
        assertThat(specHash).matches("[0-9a-f]{64}");
    }

    @Test
    void identicalRequestsWhileTheJobWaitsAreCoalescedAndOtherSpecsBytesOrCallbacksAreJobsOfTheirOwn() {
        stopWorkers();
        byte[] image = TestImages.jpeg(320, 240);
        ServiceClient.Answer first = client.upload(image, "one.jpg", "image/jpeg", SMALL);
        ServiceClient.Answer second = client.upload(image, "two.jpg", "image/jpeg", SMALL_SPELT_OUT);
        ServiceClient.Answer otherSpec = client.upload(image, "three.jpg", "image/jpeg", """
                {"outputs": [{"name": "small", "ops": [{"op": "resize", "width": 201}]}]}""");
        ServiceClient.Answer otherBytes = client.upload(TestImages.jpeg(321, 240), "four.jpg", "image/jpeg", SMALL);
        ServiceClient.Answer withCallback = client.upload(image, "five.jpg", "image/jpeg", """
                {"outputs": [{"name": "small", "ops": [{"op": "resize", "width": 200}]}],
                 "callbackUrl": "https://example.org/done"}""");

        String id = first.body().path("id").asText();
        assertThat(List.of(first.status(), second.status(), otherSpec.status(), otherBytes.status(),
                withCallback.status())).containsOnly(202);
        assertThat(second.body().path("id").asText()).isEqualTo(id);
        assertThat(second.location()).isEqualTo("/api/v1/jobs/" + id);
        assertThat(second.body().path("status").asText()).isEqualTo("queued");
        List<String> others = List.of(otherSpec.body().path("id").asText(), otherBytes.body().path("id").asText(),
                withCallback.body().path("id").asText());
        assertThat(others).doesNotContain(id).doesNotHaveDuplicates();

        startWorkers();
        client.awaitStatus(id, "succeeded");
        others.forEach(other -> client.awaitStatus(other, "succeeded"));
        JsonNode job = client.job(id);
        assertThat(job.path("attempts").asInt()).isEqualTo(1);
        assertThat(job.path("source").path("filename").asText()).isEqualTo("one.jpg");
        assertThat(statuses(job)).containsExactly("queued", "processing", "succeeded");
    }

    @Test
    void aPurgeDeletesEveryVariantOfTheSourceAndTheSameRequestIsThenProcessedAfresh() {
        startWorkers();
        byte[] image = TestImages.jpeg(400, 300);
        byte[] other = TestImages.jpeg(401, 300);
        String sha256 = Submission.sha256(image);
        String small = client.upload(image, "p.jpg", "image/jpeg", SMALL).body().path("id").asText();
        String two = client.upload(image, "p.jpg", "image/jpeg", """
                {"outputs": [{"name": "tiny", "ops": [{"op": "resize", "width": 50}]},
                             {"name": "big", "ops": [{"op": "resize", "width": 300}], "format": "png"}]}""")
                .body().path("id").asText();
        String unrelated = client.upload(other, "q.jpg", "image/jpeg", SMALL).body().path("id").asText();
        List<String> urls = new ArrayList<>();
        for (String id : List.of(small, two)) {
            client.awaitStatus(id, "succeeded").path("outputs").forEach(o -> urls.add(o.path("url").asText()));
        }
        String unrelatedUrl = client.awaitStatus(unrelated, "succeeded").path("outputs").get(0).path("url").asText();
        assertThat(urls).hasSize(3).allSatisfy(url -> assertThat(client.download(url).statusCode()).isEqualTo(200));

        ServiceClient.Answer purged = operator.delete("/api/v1/admin/sources/" + sha256 + "/renditions");

        assertThat(purged.status()).isEqualTo(200);
        assertThat(purged.body().path("sourceSha256").asText()).isEqualTo(sha256);
        assertThat(purged.body().path("renditions").asInt()).isEqualTo(3);
        assertThat(purged.body().path("jobs").asInt()).isEqualTo(2);
        assertThat(urls).allSatisfy(url -> assertThat(client.download(url).statusCode()).isEqualTo(404));
        assertThat(client.download(unrelatedUrl).statusCode()).isEqualTo(200);
        assertThat(client.job(small).path("history").get(3).path("detail").asText()).isEqualTo("renditions purged");

        ServiceClient.Answer afresh = client.upload(image, "p.jpg", "image/jpeg", SMALL);
        assertThat(afresh.status()).isEqualTo(202);
        String fresh = afresh.body().path("id").asText();
        assertThat(fresh).isNotEqualTo(small);
        String url = client.awaitStatus(fresh, "succeeded").path("outputs").get(0).path("url").asText();
        assertThat(client.download(url).statusCode()).isEqualTo(200);
        assertThat(client.upload(image, "p.jpg", "image/jpeg", SMALL).body().path("id").asText()).isEqualTo(fresh);

        ServiceClient.Answer nothing = operator.delete("/api/v1/admin/sources/" + "0".repeat(64) + "/renditions");
        assertThat(nothing.status()).isEqualTo(200);
        assertThat(nothing.body().path("renditions").asInt()).isZero();
        assertThat(operator.delete("/api/v1/admin/sources/not-a-hash/renditions").status()).isEqualTo(400);
        assertThat(anonymous().delete("/api/v1/admin/sources/" + sha256 + "/renditions").status()).isEqualTo(401);
        // An intake API key is not an operator's.
        assertThat(client.delete("/api/v1/admin/sources/" + sha256 + "/renditions").status()).isEqualTo(403);
    }

    private void startWorkers() {
        try {
            camel.getRouteController().startRoute(NORMAL_WORKERS);
            camel.getRouteController().startRoute("consume-urgent-jobs");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void stopWorkers() {
        try {
            camel.getRouteController().stopRoute(NORMAL_WORKERS);
            camel.getRouteController().stopRoute("consume-urgent-jobs");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private int jobCount() {
        return client.get("/api/v1/jobs?limit=100").body().path("items").size();
    }

    private static List<String> statuses(JsonNode job) {
        List<String> statuses = new ArrayList<>();
        job.path("history").forEach(e -> statuses.add(e.path("status").asText()));
        return statuses;
    }
}
