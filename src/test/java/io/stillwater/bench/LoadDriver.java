package io.stillwater.bench;

import io.stillwater.ServiceClient;
import io.stillwater.TestImages;
import io.stillwater.job.Priority;
import io.stillwater.job.JobStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.apache.camel.api.management.ManagedCamelContext;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Drives the public API with a small image and prints what intake sustains: (1) the most jobs accepted
 * per second by closed-loop clients, with the {@code 202} latencies, while no worker runs; (2) the
 * {@code 202} latencies at half that rate, paced; (3) with the workers started, how fast the accepted
 * jobs complete and their accepted-to-succeeded latencies.
 *
 * <p>Arguments, all optional: seconds per phase (default 20), concurrent clients (default 8), and an
 * image file (default: a generated 320×240 JPEG). Jobs ask for the {@code thumbnail} preset. Before the
 * timed phases, the clients run flat out for {@code -Dwarmup.seconds} (default 60).
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
            Uploader uploader = new Uploader(service, image, spec);
            System.out.println(BenchService.describe(service, args.length > 2 ? args[2] : "generated 320x240 JPEG", image));
            // Flat out first, untimed, until the JIT has compiled the intake path: with only a few seconds
            // of this, the compiler took most of one core through the measured phases.
            closedLoop(uploader, clients, Integer.getInteger("warmup.seconds", 60));

            long cpuBefore = processCpuNanos();
            Phase full = closedLoop(uploader, clients, seconds);
            double cpuPerJob = (processCpuNanos() - cpuBefore) / 1e6 / full.latencies().size();
            System.out.printf("intake, %d clients flat out:   %.0f jobs/s accepted; 202 latency %s%n", clients,
                    full.rate(), Stats.summary(full.latencies()));
            System.out.printf("  CPU per accepted job, service and driver together: %.1f ms%n", cpuPerJob);
            System.out.println("  where the time goes, mean per job since start: " + steps(service));

            Phase half = paced(uploader, full.rate() / 2, seconds);
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

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Mean milliseconds of the intake route and its steps, from Camel's own statistics. */
    private static String steps(ConfigurableApplicationContext service) throws Exception {
        ManagedCamelContext managed = service.getBean(CamelContext.class).getCamelContextExtension()
                .getContextPlugin(ManagedCamelContext.class);
        StringBuilder out = new StringBuilder("image-intake " + managed.getManagedRoute("image-intake")
                .getMeanProcessingTime() + " ms");
        for (String step : List.of("check-image", "check-capacity", "store-original", "record-job", "send-job")) {
            out.append(", ").append(step).append(' ').append(managed.getManagedProcessor(step).getMeanProcessingTime())
                    .append(" ms");
        }
        return out.toString();
    }

    private static Phase closedLoop(Uploader uploader, int clients, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    latencies.add(uploader.timedUpload());
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        return new Phase(latencies.size() / ((System.nanoTime() - start) / 1e9), latencies);
    }

    /** Open loop: one submission every 1/rate seconds whatever the answers take, as clients arrive. */
    private static Phase paced(Uploader uploader, double rate, int seconds) throws Exception {
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
            answers.add(pool.submit(uploader::timedUpload));
        }
        List<Double> latencies = new ArrayList<>();
        for (Future<Double> answer : answers) {
            latencies.add(answer.get());
        }
        pool.shutdown();
        return new Phase(count / ((System.nanoTime() - start) / 1e9), latencies);
    }

    /**
     * What a lean client sends: one multipart upload, encoded once and posted as bytes over a plain JDK
     * HTTP client with a small fixed pool, so the driver spends little of the machine the service runs on.
     */
    private static final class Uploader {

        private static final String BOUNDARY = "stillwater-load-driver-boundary";

        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(2)).build();
        private final HttpRequest request;

        Uploader(ConfigurableApplicationContext service, byte[] image, String spec) {
            int port = ((ServletWebServerApplicationContext) service).getWebServer().getPort();
            byte[] body = concat(
                    part("spec", null, "application/json").getBytes(StandardCharsets.UTF_8),
                    spec.getBytes(StandardCharsets.UTF_8),
                    ("\r\n" + part("image", "photo.jpg", "image/jpeg")).getBytes(StandardCharsets.UTF_8),
                    image,
                    ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
            request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/jobs"))
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .header("X-Api-Key", ServiceClient.TEST_API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        }

        /** Posts the upload and gives the milliseconds to its answer; anything but 202 stops the run. */
        double timedUpload() throws IOException, InterruptedException {
            long start = System.nanoTime();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            double millis = (System.nanoTime() - start) / 1e6;
            if (answer.statusCode() != 202) {
                throw new IllegalStateException("not accepted: " + answer.statusCode() + " " + answer.body());
            }
            return millis;
        }

        private static String part(String name, String filename, String contentType) {
            return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                    + (filename == null ? "" : "; filename=\"" + filename + "\"")
                    + "\r\nContent-Type: " + contentType + "\r\n\r\n";
        }

        private static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] part : parts) {
                out.writeBytes(part);
            }
            return out.toByteArray();
        }
    }
}
