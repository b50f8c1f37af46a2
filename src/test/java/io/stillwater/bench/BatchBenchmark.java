package io.stillwater.bench;

import io.stillwater.ServiceClient;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How long a large CSV batch takes to be accepted, and how fast its rows then become jobs. Posts a
 * CSV of {@code rows} products (one image URL each) {@code runs} times to the service on its embedded
 * defaults with no worker running, and prints the {@code 202} latencies, the heap used after each
 * acceptance, and the background expansion's rate (rows turned into queued jobs per second).
 *
 * <p>Arguments, all optional: rows (default 10000), runs (default 5).
 */
public final class BatchBenchmark {

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        StringBuilder csv = new StringBuilder("S. No.,Product Name,Input Image Urls\n");
        for (int i = 1; i <= rows; i++) {
            csv.append(i).append(",\"Product ").append(i).append(", blue\",https://images.example/catalogue/")
                    .append(i).append(".jpg\n");
        }
        String body = csv.toString();
        try (ConfigurableApplicationContext service = BenchService.start("--stillwater.intake.rate-limit.enabled=false",
                "--stillwater.intake.max-queued=1000000", "--stillwater.processing.auto-startup=false",
                "--stillwater.batches.max-rows=" + rows)) {
            ServiceClient client = BenchService.client(service);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.out.printf("CSV of %d rows, %d KiB; %d runs%n", rows, body.length() / 1024, runs);
            List<Double> accept = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            long first = System.nanoTime();
            for (int run = 0; run < runs; run++) {
                long start = System.nanoTime();
                ServiceClient.Answer answer = client.post("/api/v1/batches", "text/csv; charset=utf-8", body);
                double millis = (System.nanoTime() - start) / 1e6;
                if (answer.status() != 202) {
                    throw new IllegalStateException("not accepted: " + answer.body());
                }
                accept.add(millis);
                ids.add(answer.body().path("id").asText());
                System.out.printf("  run %d: 202 in %.0f ms, heap used %d MiB%n", run + 1, millis,
                        memory.getHeapMemoryUsage().getUsed() >> 20);
            }
            System.out.println("accepted: " + Stats.summary(accept));

            Awaitility.await().atMost(Duration.ofHours(1)).pollInterval(Duration.ofSeconds(1)).until(() -> ids.stream()
                    .allMatch(batch -> client.get("/api/v1/batches/" + batch + "?limit=1").body().path("counts")
                            .path("pending").asLong() == 0));
            double seconds = (System.nanoTime() - first) / 1e9;
            System.out.printf("expansion: %d rows of %d batches into queued jobs %.0f s after the first was posted, %.0f rows/s%n",
                    rows * runs, runs, seconds, rows * runs / seconds);
        }
    }
}
