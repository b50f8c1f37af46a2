package io.stillwater.bench;

import io.stillwater.image.ImageEngine;
import io.stillwater.image.ImageFormat;
import io.stillwater.image.ImageInspector;
import io.stillwater.image.ImageLimits;
import io.stillwater.image.OutputSpec;
import io.stillwater.image.Resize;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Times the image engine alone, from bytes in memory to bytes in memory: decode, auto-orient, resize,
 * encode, for the three cases the performance notes compare with libvips (bench/sharp/bench.js runs
 * the same ones): fit inside 1024 px to JPEG q80, a 256 px cover thumbnail to JPEG q80, and fit inside
 * 1024 px to WebP q80. Per photo and case it prints the median, min and p95 of single renders after
 * warm-up, images per second on one and on two threads, and the peak heap in use meanwhile.
 *
 * <p>Arguments: photo files. {@code -Druns=N} timed runs per case (default 15, after
 * {@code -Dwarmup=N} runs, default 3, lasting at least {@code -Dwarmup.seconds=S}, default 3);
 * {@code -Dturbojpeg=auto|off|both} which JPEG path to time (default {@code both}: the pure-Java path,
 * then libjpeg-turbo's where it is installed).
 */
public final class EngineBenchmark {

    private record Case(String name, OutputSpec output) {}

    private static final List<Case> CASES = List.of(
            new Case("jpeg 1024 inside q80", new OutputSpec("out",
                    List.of(new Resize(1024, 1024, Resize.Fit.INSIDE, null)), ImageFormat.JPEG, 80)),
            new Case("jpeg 256 cover q80", new OutputSpec("out",
                    List.of(new Resize(256, 256, Resize.Fit.COVER, null)), ImageFormat.JPEG, 80)),
            new Case("webp 1024 inside q80", new OutputSpec("out",
                    List.of(new Resize(1024, 1024, Resize.Fit.INSIDE, null)), ImageFormat.WEBP, 80)));

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 15);
        int warmup = Integer.getInteger("warmup", 3);
        // Warm-up also lasts this long, so the JIT has compiled the decoder before the first case is timed:
        // with a few runs only, the first case measured the compiler at work, 170 to 230 ms from run to run.
        long warmupNanos = TimeUnit.SECONDS.toNanos(Integer.getInteger("warmup.seconds", 3));
        String which = System.getProperty("turbojpeg", "both");
        ImageInspector inspector = new ImageInspector();
        ImageLimits limits = new ImageLimits(100_000_000, ImageLimits.DEFAULT_MAX_FRAMES);
        List<ImageEngine.NativeJpeg> paths = new ArrayList<>();
        if (!which.equals("auto")) {
            paths.add(ImageEngine.NativeJpeg.OFF);
        }
        if (!which.equals("off") && ImageEngine.turboJpegAvailable()) {
            paths.add(ImageEngine.NativeJpeg.AUTO);
        }
        System.out.printf("java %s, %d cores, max heap %d MiB, libjpeg-turbo %s%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                ImageEngine.turboJpegAvailable() ? "found" : "not found");
        HeapSampler heap = new HeapSampler();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (ImageEngine.NativeJpeg path : paths) {
                ImageEngine engine = new ImageEngine(limits, path);
                String label = path == ImageEngine.NativeJpeg.OFF ? "java" : "turbo";
                for (String arg : args) {
                    byte[] source = Files.readAllBytes(Path.of(arg));
                    var info = inspector.inspect(source);
                    for (Case c : CASES) {
                        List<OutputSpec> outputs = List.of(c.output());
                        long warm = System.nanoTime() + warmupNanos;
                        for (int i = 0; i < warmup || System.nanoTime() < warm; i++) {
                            engine.render(source, outputs);
                        }
                        System.gc();
                        heap.reset();
                        List<Double> times = new ArrayList<>();
                        for (int i = 0; i < runs; i++) {
                            long start = System.nanoTime();
                            engine.render(source, outputs);
                            times.add((System.nanoTime() - start) / 1e6);
                        }
                        double one = throughput(pool, engine, source, outputs, 1, Math.max(4, runs / 2));
                        double two = throughput(pool, engine, source, outputs, 2, Math.max(8, runs));
                        System.out.printf("%-5s %-34s %5.1f MP  %-22s %s  1 thread %6.2f img/s  2 threads %6.2f img/s"
                                        + "  peak heap %4d MiB%n",
                                label, Path.of(arg).getFileName(), info.pixels() / 1e6, c.name(), summary(times), one, two,
                                heap.peak() >> 20);
                    }
                }
            }
        } finally {
            heap.stop();
            pool.shutdown();
        }
    }

    /** Images per second with {@code threads} renders in flight at once. */
    private static double throughput(ExecutorService pool, ImageEngine engine, byte[] source, List<OutputSpec> outputs,
            int threads, int images) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                while (next.getAndIncrement() < images) {
                    engine.render(source, outputs);
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        return images / ((System.nanoTime() - start) / 1e9);
    }

    private static String summary(List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        sorted.sort(null);
        return "median %5.0f ms  min %5.0f  p95 %5.0f".formatted(Stats.percentile(sorted, 50), sorted.get(0),
                Stats.percentile(sorted, 95));
    }

    /** The most heap in use (all heap pools together) seen by sampling every 2 ms. */
    /** Samples heap use every 2 ms on a timer thread and keeps the peak. */
    private static final class HeapSampler {

        private final AtomicLong peak = new AtomicLong();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "heap-sampler");
            thread.setDaemon(true);
            return thread;
        });

        HeapSampler() {
            List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            timer.scheduleAtFixedRate(() -> peak.accumulateAndGet(
                    pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum(), Math::max), 0, 2, TimeUnit.MILLISECONDS);
        }

        void reset() {
            peak.set(0);
        }

        long peak() {
            return peak.get();
        }

        void stop() {
            timer.shutdownNow();
        }
    }
}
