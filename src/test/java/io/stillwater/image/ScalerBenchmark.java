package io.stillwater.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Times {@link Scaler#scale} against the Java2D drawing it replaced (bilinear halvings, then one
 * bicubic step), alternating run by run in one JVM so that both see the same machine load, on a
 * photo-like synthetic image (gradients, edges and noise): the final step of the libjpeg-turbo path
 * (1368 × 912 to 1024 × 683), the same with alpha, and a whole 20 MP reduction (5472 × 3648 to
 * 1024 × 683). Prints per case the median and min wall time and the median CPU time of the
 * measuring thread (which a busy machine disturbs less).
 *
 * <pre>
 * ./mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.stillwater.image.ScalerBenchmark
 * </pre>
 *
 * {@code -Druns=N} (default 30) after {@code -Dwarmup=N} (default 10).
 */
public final class ScalerBenchmark {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int runs = Integer.getInteger("runs", 30);
        int warmup = Integer.getInteger("warmup", 10);
        time("1368x912 -> 1024x683 rgb", photo(1368, 912, BufferedImage.TYPE_INT_RGB), 1024, 683, runs, warmup);
        time("1368x912 -> 1024x683 argb", photo(1368, 912, BufferedImage.TYPE_INT_ARGB), 1024, 683, runs, warmup);
        time("5472x3648 -> 1024x683 rgb", photo(5472, 3648, BufferedImage.TYPE_INT_RGB), 1024, 683,
                Math.max(1, runs / 3), Math.max(1, warmup / 3));
    }

    private static void time(String name, BufferedImage source, int width, int height, int runs, int warmup) {
        List<Long> java2d = new ArrayList<>();
        List<Long> scaler = new ArrayList<>();
        List<Long> java2dCpu = new ArrayList<>();
        List<Long> scalerCpu = new ArrayList<>();
        for (int i = 0; i < warmup + runs; i++) {
            long t0 = System.nanoTime();
            long c0 = CPU.getCurrentThreadCpuTime();
            Scaler.scaleWithJava2d(source, width, height);
            long t1 = System.nanoTime();
            long c1 = CPU.getCurrentThreadCpuTime();
            Scaler.scale(source, width, height);
            long t2 = System.nanoTime();
            long c2 = CPU.getCurrentThreadCpuTime();
            if (i >= warmup) {
                java2d.add(t1 - t0);
                scaler.add(t2 - t1);
                java2dCpu.add(c1 - c0);
                scalerCpu.add(c2 - c1);
            }
        }
        System.out.printf("%-28s java2d median %6.1f ms min %6.1f cpu %6.1f   scaler median %6.1f ms min %6.1f cpu %6.1f%n",
                name, median(java2d), min(java2d), median(java2dCpu), median(scaler), min(scaler), median(scalerCpu));
    }

    private static double median(List<Long> times) {
        List<Long> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2) / 1e6;
    }

    private static double min(List<Long> times) {
        return Collections.min(times) / 1e6;
    }

    /** Smooth gradients, hard-edged shapes and per-pixel noise, so no pass can skip work. */
    static BufferedImage photo(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int noise = random.nextInt(32);
                int r = (x * 200 / width + noise) & 0xFF;
                int g = (y * 200 / height + noise) & 0xFF;
                int b = ((x / 37 + y / 23) % 2 == 0 ? 40 : 200) + noise / 2;
                int a = type == BufferedImage.TYPE_INT_RGB ? 0xFF : 128 + (x + y) % 128;
                pixels[y * width + x] = a << 24 | r << 16 | g << 8 | b;
            }
        }
        return image;
    }
}
