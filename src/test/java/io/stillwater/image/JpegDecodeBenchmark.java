package io.stillwater.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Times the JPEG decode alone on the pure-Java path, at full size and at the reduced size the engine
 * would decode at for a 2048 and a 1024 px box and a 256 px cover thumbnail: the JDK's reader (source subsampling, as before)
 * against {@link JpegDecoder} (DCT-domain scaling), alternating run by run in one JVM so that both see
 * the same machine load. Prints median and min per photo, case and decoder.
 *
 * <pre>
 * ./mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.stillwater.image.JpegDecodeBenchmark -Dexec.args="bench/photos/*.jpg"
 * </pre>
 *
 * {@code -Druns=N} (default 15) after {@code -Dwarmup=N} (default 3).
 */
public final class JpegDecodeBenchmark {

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 15);
        int warmup = Integer.getInteger("warmup", 3);
        ImageInspector inspector = new ImageInspector();
        for (String arg : args) {
            byte[] source = Files.readAllBytes(Path.of(arg));
            ImageInfo info = inspector.inspect(source);
            String kind = JpegComponents.progressive(source) ? "progressive" : "baseline";
            for (int target : new int[] {0, 2048, 1024, 256}) {
                double fraction = target == 0 ? 1
                        : target != 256 ? Math.min(1, target / (double) Math.max(info.width(), info.height()))
                        : Math.min(1, 256.0 / Math.min(info.width(), info.height()));
                int subsampling = fraction >= 1 ? 1 : Math.max(1, (int) Math.floor(1 / (2 * fraction)));
                int denominator = ImageEngine.dctDenominator(fraction);
                List<Long> imageIo = new ArrayList<>(), java = new ArrayList<>();
                for (int i = 0; i < warmup + runs; i++) {
                    long t0 = System.nanoTime();
                    Decoder.decode(source, info, subsampling);
                    long t1 = System.nanoTime();
                    JpegDecoder.decode(source, info.width(), info.height(), denominator);
                    long t2 = System.nanoTime();
                    if (i >= warmup) {
                        imageIo.add((t1 - t0) / 1_000_000);
                        java.add((t2 - t1) / 1_000_000);
                    }
                }
                String name = target == 0 ? "full size" : target == 256 ? "256 cover" : target + " inside";
                System.out.printf("%-32s %-11s %-11s ImageIO 1/%d subsampled: median %5d ms min %5d | JpegDecoder 1/%d: "
                        + "median %5d ms min %5d%n", Path.of(arg).getFileName(), kind, name, subsampling,
                        median(imageIo), Collections.min(imageIo), denominator, median(java), Collections.min(java));
            }
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
