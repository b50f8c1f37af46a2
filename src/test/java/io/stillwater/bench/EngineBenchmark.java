package io.stillwater.bench;

import io.stillwater.image.ImageEngine;
import io.stillwater.image.ImageFormat;
import io.stillwater.image.ImageInspector;
import io.stillwater.image.OutputSpec;
import io.stillwater.image.Resize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Times the image engine alone on one thread: decode, auto-orient, fit inside a box, JPEG quality 80,
 * as in the project's performance notes. Prints the median of several runs per photo and box.
 *
 * <p>Arguments: photo files; {@code -Druns=N} sets the runs per case (default 7, after 2 warm-ups).
 */
public final class EngineBenchmark {

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 7);
        ImageEngine engine = new ImageEngine(100_000_000);
        ImageInspector inspector = new ImageInspector();
        System.out.printf("java %s, %d cores, max heap %d MiB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        for (String arg : args) {
            byte[] source = Files.readAllBytes(Path.of(arg));
            var info = inspector.inspect(source);
            for (int box : new int[] {1024, 256}) {
                List<OutputSpec> outputs = List.of(new OutputSpec("out",
                        List.of(new Resize(box, box, Resize.Fit.INSIDE, null)), ImageFormat.JPEG, 80));
                for (int i = 0; i < 2; i++) {
                    engine.render(source, outputs);
                }
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    long start = System.nanoTime();
                    engine.render(source, outputs);
                    times.add((System.nanoTime() - start) / 1e6);
                }
                System.out.printf("%-40s %5.1f MP -> %4d px: %s%n", Path.of(arg).getFileName(), info.pixels() / 1e6, box,
                        Stats.summary(times));
            }
        }
    }
}
