package io.stillwater.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.StillwaterApplication;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A load driver for the whole pipeline on its embedded defaults: starts the service on a fresh data
 * directory, then over real HTTP (1) submits one photo at a time and waits for each, for the solo
 * latency from accepted to succeeded, and (2) submits a burst at once, for throughput. Each job asks
 * for one 1024 px JPEG. Prints the figures and the peak heap.
 *
 * <p>Arguments: the photo, then optionally the solo count (default 10) and the burst size (default 20).
 */
public final class UploadBenchmark {

    private static final String SPEC = """
            {"outputs": [{"name": "web", "ops": [{"op": "resize", "width": 1024, "height": 1024}], "quality": 80}]}
            """;

    public static void main(String[] args) throws Exception {
        Path photo = Path.of(args[0]);
        int solo = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int burst = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        byte[] image = Files.readAllBytes(photo);
        Path data = Files.createTempDirectory("stillwater-bench");
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(StillwaterApplication.class).run(
                "--server.port=0", "--stillwater.data-dir=" + data, "--stillwater.storage.embedded.port=0",
                "--logging.level.root=WARN")) {
            ServiceClient client = new ServiceClient(((ServletWebServerApplicationContext) service).getWebServer().getPort());
            System.out.printf("%s: %d bytes; java %s, %d cores, max heap %d MiB, %s workers%n", photo.getFileName(),
                    image.length, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20, service.getEnvironment().getProperty("stillwater.processing.concurrency"));
            for (int i = 0; i < 3; i++) {
                waitFor(client, submit(client, image, new ArrayList<>()));
            }

            List<Double> intake = new ArrayList<>();
            List<Double> endToEnd = new ArrayList<>();
            for (int i = 0; i < solo; i++) {
                JsonNode job = waitFor(client, submit(client, image, intake));
                endToEnd.add(Duration.between(OffsetDateTime.parse(job.path("createdAt").asText()),
                        OffsetDateTime.parse(job.path("updatedAt").asText())).toNanos() / 1e6);
            }
            System.out.println("intake (POST to 202):          " + Stats.summary(intake));
            System.out.println("solo, accepted to succeeded:   " + Stats.summary(endToEnd));

            long start = System.nanoTime();
            List<String> ids = new ArrayList<>();
            List<Double> burstIntake = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                ids.add(submit(client, image, burstIntake));
            }
            List<Double> burstLatency = new ArrayList<>();
            for (String id : ids) {
                JsonNode job = waitFor(client, id);
                burstLatency.add(Duration.between(OffsetDateTime.parse(job.path("createdAt").asText()),
                        OffsetDateTime.parse(job.path("updatedAt").asText())).toNanos() / 1e6);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println("burst intake (POST to 202):    " + Stats.summary(burstIntake));
            System.out.println("burst, accepted to succeeded:  " + Stats.summary(burstLatency));
            System.out.printf("burst throughput:              %d jobs in %.1f s = %.2f jobs/s%n", burst, seconds, burst / seconds);
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed())
                    .sum();
            System.out.printf("peak heap (sum of pool peaks): %d MiB%n", peak >> 20);
        }
    }

    private static String submit(ServiceClient client, byte[] image, List<Double> intake) {
        long start = System.nanoTime();
        ServiceClient.Answer answer = client.upload(image, "photo.jpg", "image/jpeg", SPEC);
        intake.add((System.nanoTime() - start) / 1e6);
        if (answer.status() != 202) {
            throw new IllegalStateException("not accepted: " + answer.body());
        }
        return answer.body().path("id").asText();
    }

    private static JsonNode waitFor(ServiceClient client, String id) {
        return Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
            JsonNode job = client.job(id);
            String status = job.path("status").asText();
            if (!status.equals("queued") && !status.equals("processing") && !status.equals("succeeded")) {
                throw new IllegalStateException("job ended " + job);
            }
            return job;
        }, job -> job.path("status").asText().equals("succeeded"));
    }
}
