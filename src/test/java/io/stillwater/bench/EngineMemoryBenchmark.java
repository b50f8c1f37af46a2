package io.stillwater.bench;

import io.stillwater.image.ImageEngine;
import io.stillwater.image.ImageFormat;
import io.stillwater.image.ImageInfo;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much heap one render holds, as a multiple of the source's decoded size (width × height × 4
 * bytes, packed RGB): for each photo and JPEG path, fit inside 1024 px → JPEG q80 and the same image
 * re-encoded at full size (no operation, the {@code compressed} preset). One render at a time, after
 * a full GC; the heap in use is sampled every millisecond, and the peak above the idle baseline is
 * divided by the decoded size. Garbage not yet collected counts too, so the figure is what the heap
 * must have room for, an upper bound of what is live.
 *
 * <p>Arguments: photo files. {@code -Druns=N} renders per case (default 5, after 2 warm-ups);
 * {@code -Dturbojpeg=auto|off|both} (default {@code both}).
 */
public final class EngineMemoryBenchmark {

    private record Case(String name, OutputSpec output) {}

    private static final List<Case> CASES = List.of(
            new Case("jpeg 1024 inside q80", new OutputSpec("out",
                    List.of(new Resize(1024, 1024, Resize.Fit.INSIDE, null)), ImageFormat.JPEG, 80)),
            new Case("jpeg full size q50", new OutputSpec("out", List.of(), ImageFormat.JPEG, 50)));

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 5);
        String which = System.getProperty("turbojpeg", "both");
        List<ImageEngine.NativeJpeg> paths = new ArrayList<>();
        if (!which.equals("auto")) {
            paths.add(ImageEngine.NativeJpeg.OFF);
        }
        if (!which.equals("off") && ImageEngine.turboJpegAvailable()) {
            paths.add(ImageEngine.NativeJpeg.AUTO);
        }
        System.out.printf("java %s, max heap %d MiB, libjpeg-turbo %s%n", System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, ImageEngine.turboJpegAvailable() ? "found" : "not found");
        ImageLimits limits = new ImageLimits(100_000_000, ImageLimits.DEFAULT_MAX_FRAMES);
        Sampler sampler = new Sampler();
        try {
            for (ImageEngine.NativeJpeg path : paths) {
                ImageEngine engine = new ImageEngine(limits, path);
                for (String arg : args) {
                    byte[] source = Files.readAllBytes(Path.of(arg));
                    ImageInfo info = new ImageInspector().inspect(source);
                    long decoded = info.pixels() * 4;
                    for (Case c : CASES) {
                        List<OutputSpec> outputs = List.of(c.output());
                        for (int i = 0; i < 2; i++) {
                            engine.render(source, outputs);
                        }
                        List<Double> multiples = new ArrayList<>();
                        for (int i = 0; i < runs; i++) {
                            System.gc();
                            long baseline = sampler.used();
                            sampler.reset();
                            engine.render(source, outputs);
                            multiples.add((sampler.peak() - baseline) / (double) decoded);
                        }
                        multiples.sort(null);
                        System.out.printf("%-5s %-34s %5.1f MP (decoded %4d MiB)  %-22s peak heap above idle ÷ decoded:"
                                        + " median %.2f  max %.2f%n",
                                path == ImageEngine.NativeJpeg.OFF ? "java" : "turbo", Path.of(arg).getFileName(),
                                info.pixels() / 1e6, decoded >> 20, c.name(), multiples.get(multiples.size() / 2),
                                multiples.get(multiples.size() - 1));
                    }
                }
            }
        } finally {
            sampler.stop();
        }
    }

    /** Heap in use (all heap pools), sampled every millisecond on a timer thread, and its peak. */
    private static final class Sampler {

        private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        private final AtomicLong peak = new AtomicLong();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "heap-sampler");
            thread.setDaemon(true);
            return thread;
        });

        Sampler() {
            timer.scheduleAtFixedRate(() -> peak.accumulateAndGet(used(), Math::max), 0, 1, TimeUnit.MILLISECONDS);
        }

        long used() {
            return pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        }

        void reset() {
            peak.set(used());
        }

        long peak() {
            return peak.get();
        }

        void stop() {
            timer.shutdownNow();
        }
    }
}
