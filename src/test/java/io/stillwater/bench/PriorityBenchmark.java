package io.stillwater.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.job.JobStore;
import io.stillwater.job.Priority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Does urgent work stay fast under a flood of background work? Starts the service on its embedded
 * defaults, measures urgent jobs alone on the idle service, then floods it with background jobs and
 * submits urgent jobs one by one while the flood is worked off. Prints the urgent latencies
 * (accepted to succeeded) against the target (solo p99 + one job's processing time + 1 s) and the
 * background throughput meanwhile, per second and in its slowest 5-second window.
 *
 * <p>Arguments: the photo, then optionally the flood size (default 500) and the urgent count
 * (default 30). Every job asks for one 1024 px JPEG of the photo.
 */
public final class PriorityBenchmark {

    private static final String SPEC = """
            {"priority": "%s", "outputs": [{"name": "web", "ops": [{"op": "resize", "width": 1024, "height": 1024}]}]}
            """;

    public static void main(String[] args) throws Exception {
        Path photo = Path.of(args[0]);
        int flood = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int urgentCount = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        byte[] image = Files.readAllBytes(photo);
        String urgent = SPEC.formatted("urgent");
        try (ConfigurableApplicationContext service = BenchService.start("--stillwater.intake.rate-limit.enabled=false",
                "--stillwater.intake.max-queued=" + (flood + 1))) {
            ServiceClient client = BenchService.client(service);
            JobStore store = service.getBean(JobStore.class);
            System.out.println(BenchService.describe(service, photo.getFileName().toString(), image));
            for (int i = 0; i < 3; i++) {
                BenchService.waitFor(client, BenchService.submit(client, image, urgent));
            }

            List<Double> solo = new ArrayList<>();
            List<Double> processing = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                JsonNode job = BenchService.waitFor(client, BenchService.submit(client, image, urgent));
                solo.add(BenchService.latencyMillis(job));
                processing.add(BenchService.processingMillis(job));
            }

            long floodStart = System.nanoTime();
            submitInParallel(client, image, SPEC.formatted("background"), flood);
            System.out.printf("flood: %d background jobs accepted in %.1f s%n", flood, (System.nanoTime() - floodStart) / 1e9);

            List<long[]> samples = Collections.synchronizedList(new ArrayList<>());
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> samples.add(new long[] {System.nanoTime(), store.countQueued(Priority.BACKGROUND)}),
                    0, 1, TimeUnit.SECONDS);
            List<Double> underFlood = new ArrayList<>();
            for (int i = 0; i < urgentCount; i++) {
                underFlood.add(BenchService.latencyMillis(BenchService.waitFor(client, BenchService.submit(client, image, urgent))));
            }
            sampler.shutdown();
            sampler.awaitTermination(5, TimeUnit.SECONDS);

            Collections.sort(solo);
            Collections.sort(underFlood);
            Collections.sort(processing);
            double target = Stats.percentile(solo, 99) + Stats.percentile(processing, 50) + 1000;
            double p99 = Stats.percentile(underFlood, 99);
            System.out.println("urgent alone, accepted to succeeded:        " + Stats.summary(solo));
            System.out.println("one job's processing time (worker):          " + Stats.summary(processing));
            System.out.println("urgent under the flood, accepted to succeeded: " + Stats.summary(underFlood));
            System.out.printf("target p99 <= %.0f ms (solo p99 + median processing + 1 s): %s (p99 %.0f ms)%n",
                    target, p99 <= target ? "met" : "MISSED", p99);
            printBackground(samples);
            System.out.printf("peak heap (sum of pool peaks): %d MiB%n", BenchService.peakHeapMiB());
        }
    }

    private static void submitInParallel(ServiceClient client, byte[] image, String spec, int count) throws Exception {
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(submitters.submit(() -> BenchService.submit(client, image, spec)));
        }
        for (Future<String> id : ids) {
            id.get();
        }
        submitters.shutdown();
    }

    /** Background jobs finished per second over the urgent phase, and in its slowest 5 s window. */
    private static void printBackground(List<long[]> samples) {
        long[] first = samples.get(0);
        long[] last = samples.get(samples.size() - 1);
        double seconds = (last[0] - first[0]) / 1e9;
        double slowest = Double.MAX_VALUE;
        for (int i = 0; i + 5 < samples.size(); i++) {
            long done = samples.get(i)[1] - samples.get(i + 5)[1];
            slowest = Math.min(slowest, done / ((samples.get(i + 5)[0] - samples.get(i)[0]) / 1e9));
        }
        System.out.printf("background meanwhile: %d jobs in %.1f s = %.2f jobs/s; slowest 5 s window %.2f jobs/s%n",
                first[1] - last[1], seconds, (first[1] - last[1]) / seconds, slowest == Double.MAX_VALUE ? 0 : slowest);
    }
}
