package io.stillwater.bench;

import io.stillwater.ServiceClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        try (ConfigurableApplicationContext service = BenchService.start("--stillwater.intake.rate-limit.enabled=false")) {
            ServiceClient client = BenchService.client(service);
            System.out.println(BenchService.describe(service, photo.getFileName().toString(), image));
            for (int i = 0; i < 3; i++) {
                BenchService.waitFor(client, BenchService.submit(client, image, SPEC));
            }

            List<Double> intake = new ArrayList<>();
            List<Double> endToEnd = new ArrayList<>();
            for (int i = 0; i < solo; i++) {
                endToEnd.add(BenchService.latencyMillis(BenchService.waitFor(client, timedSubmit(client, image, intake))));
            }
            System.out.println("intake (POST to 202):          " + Stats.summary(intake));
            System.out.println("solo, accepted to succeeded:   " + Stats.summary(endToEnd));

            long start = System.nanoTime();
            List<String> ids = new ArrayList<>();
            List<Double> burstIntake = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                ids.add(timedSubmit(client, image, burstIntake));
            }
            List<Double> burstLatency = new ArrayList<>();
            for (String id : ids) {
                burstLatency.add(BenchService.latencyMillis(BenchService.waitFor(client, id)));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println("burst intake (POST to 202):    " + Stats.summary(burstIntake));
            System.out.println("burst, accepted to succeeded:  " + Stats.summary(burstLatency));
            System.out.printf("burst throughput:              %d jobs in %.1f s = %.2f jobs/s%n", burst, seconds, burst / seconds);
            System.out.printf("peak heap (sum of pool peaks): %d MiB%n", BenchService.peakHeapMiB());
        }
    }

    private static String timedSubmit(ServiceClient client, byte[] image, List<Double> intake) {
        long start = System.nanoTime();
        String id = BenchService.submit(client, image, SPEC);
        intake.add((System.nanoTime() - start) / 1e6);
        return id;
    }
}
