package io.stillwater.bench;

import io.stillwater.ServiceClient;
import io.stillwater.TestImages;
import io.stillwater.job.Priority;
import io.stillwater.job.JobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Drives the public API with a small image and prints what intake sustains: (1) the most jobs accepted
 * per second by closed-loop clients, with the {@code 202} latencies, while no worker runs; (2) the
 * {@code 202} latencies at half that rate, paced; (3) with the workers started, how fast the accepted
 * jobs complete and their accepted-to-succeeded latencies.
 *
 * <p>Arguments, all optional: seconds per phase (default 20), concurrent clients (default 8), and an
 * image file (default: a generated 320×240 JPEG). Jobs ask for the {@code thumbnail} preset.
 */
public final class LoadDriver {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        byte[] image = args.length > 2 ? Files.readAllBytes(Path.of(args[2])) : TestImages.jpeg(320, 240);
        String spec = "{\"preset\": \"thumbnail\"}";
        try (ConfigurableApplicationContext service = BenchService.start("--stillwater.intake.rate-limit.enabled=false",
                "--stillwater.intake.max-queued=1000000", "--stillwater.processing.auto-startup=false")) {
            ServiceClient client = BenchService.client(service);
            System.out.println(BenchService.describe(service, args.length > 2 ? args[2] : "generated 320x240 JPEG", image));
            closedLoop(client, image, spec, clients, 3);

            Phase full = closedLoop(client, image, spec, clients, seconds);
            System.out.printf("intake, %d clients flat out:   %.0f jobs/s accepted; 202 latency %s%n", clients,
                    full.rate(), Stats.summary(full.latencies()));

            Phase half = paced(client, image, spec, full.rate() / 2, seconds);
            System.out.printf("intake, paced at %.0f jobs/s:   %.0f jobs/s accepted; 202 latency %s%n",
                    full.rate() / 2, half.rate(), Stats.summary(half.latencies()));

            JobStore store = service.getBean(JobStore.class);
            int queued = store.countQueued(Priority.NORMAL);
            long start = System.nanoTime();
            for (String workers : List.of("consume-urgent-jobs", "consume-normal-jobs", "consume-background-jobs")) {
                service.getBean(CamelContext.class).getRouteController().startRoute(workers);
            }
            TimeUnit.SECONDS.sleep(seconds);
            int done = queued - store.countQueued(Priority.NORMAL);
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("completion, workers on a backlog of %d: %d jobs in %.1f s = %.1f jobs/s%n",
                    queued, done, elapsed, done / elapsed);
            List<Double> endToEnd = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = BenchService.submit(client, image, "{\"preset\": \"thumbnail\", \"priority\": \"urgent\"}");
                endToEnd.add(BenchService.latencyMillis(BenchService.waitFor(client, id)));
            }
            System.out.println("one urgent job beside that backlog, accepted to succeeded: " + Stats.summary(endToEnd));
            System.out.printf("peak heap (sum of pool peaks): %d MiB%n", BenchService.peakHeapMiB());
        }
    }

    record Phase(double rate, List<Double> latencies) {}

    private static Phase closedLoop(ServiceClient client, byte[] image, String spec, int clients, int seconds)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    latencies.add(timedSubmit(client, image, spec));
                }
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        return new Phase(latencies.size() / ((System.nanoTime() - start) / 1e9), latencies);
    }

    /** Open loop: one submission every 1/rate seconds whatever the answers take, as clients arrive. */
    private static Phase paced(ServiceClient client, byte[] image, String spec, double rate, int seconds)
            throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        long interval = (long) (TimeUnit.SECONDS.toNanos(1) / rate);
        int count = (int) (rate * seconds);
        List<Future<Double>> answers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            answers.add(pool.submit(() -> timedSubmit(client, image, spec)));
        }
        List<Double> latencies = new ArrayList<>();
        for (Future<Double> answer : answers) {
            latencies.add(answer.get());
        }
        pool.shutdown();
        return new Phase(count / ((System.nanoTime() - start) / 1e9), latencies);
    }

    private static double timedSubmit(ServiceClient client, byte[] image, String spec) {
        long start = System.nanoTime();
        BenchService.submit(client, image, spec);
        return (System.nanoTime() - start) / 1e6;
    }
}
