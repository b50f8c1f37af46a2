package io.stillwater.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.StillwaterApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The service on its embedded defaults in a fresh data directory, and what the load drivers ask of it. */
final class BenchService {

    private BenchService() {}

    /** Starts the service on a free port; {@code args} add or override settings ({@code --key=value}). */
    static ConfigurableApplicationContext start(String... args) {
        try {
            List<String> all = new ArrayList<>(List.of("--server.port=0",
                    "--stillwater.data-dir=" + Files.createTempDirectory("stillwater-bench"),
                    "--stillwater.storage.embedded.port=0", "--logging.level.root=WARN",
                    // The benchmarks send one image many times: measure work, not cache hits.
                    "--stillwater.cache.enabled=false",
                    "--stillwater.security.intake.api-keys=" + ServiceClient.TEST_API_KEY));
            all.addAll(List.of(args));
            return new SpringApplicationBuilder(StillwaterApplication.class).run(all.toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ServiceClient client(ConfigurableApplicationContext service) {
        return ServiceClient.withApiKey(((ServletWebServerApplicationContext) service).getWebServer().getPort(),
                ServiceClient.TEST_API_KEY);
    }

    /** Submits one multipart upload and gives the job id; anything but 202 stops the run. */
    static String submit(ServiceClient client, byte[] image, String spec) {
        ServiceClient.Answer answer = client.upload(image, "photo.jpg", "image/jpeg", spec);
        if (answer.status() != 202) {
            throw new IllegalStateException("not accepted: " + answer.body());
        }
        return answer.body().path("id").asText();
    }

    /** Polls the job every 5 ms until it succeeded; any other end stops the run. */
    static JsonNode waitFor(ServiceClient client, String id) {
        return Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            JsonNode job = client.job(id);
            String status = job.path("status").asText();
            if (!status.equals("queued") && !status.equals("processing") && !status.equals("succeeded")) {
                throw new IllegalStateException("job ended " + job);
            }
            return job;
        }, job -> job.path("status").asText().equals("succeeded"));
    }

    /** Accepted to succeeded, as the job records it, in milliseconds. */
    static double latencyMillis(JsonNode job) {
        return millisBetween(job.path("createdAt").asText(), job.path("updatedAt").asText());
    }

    /** From the worker's start to success, in milliseconds: the job's own processing time. */
    static double processingMillis(JsonNode job) {
        String started = null;
        for (JsonNode event : job.path("history")) {
            if (event.path("status").asText().equals("processing")) {
                started = event.path("at").asText();
            }
        }
        return millisBetween(started, job.path("updatedAt").asText());
    }

    static long peakHeapMiB() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum() >> 20;
    }

    static String describe(ConfigurableApplicationContext service, String photo, byte[] image) {
        String concurrency = Stream.of("urgent", "normal", "background")
                .map(c -> c + "=" + service.getEnvironment().getProperty("stillwater.processing.concurrency." + c))
                .reduce((a, b) -> a + " " + b).orElseThrow();
        return "%s: %d bytes; java %s, %d cores, max heap %d MiB, workers %s".formatted(photo, image.length,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, concurrency);
    }

    private static double millisBetween(String from, String to) {
        return Duration.between(OffsetDateTime.parse(from), OffsetDateTime.parse(to)).toNanos() / 1e6;
    }
}
