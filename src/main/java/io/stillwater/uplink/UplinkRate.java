package io.stillwater.uplink;

import io.stillwater.config.StillwaterProperties;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.springframework.stereotype.Component;

/**
 * The uplink's pace: uploads start no closer together than one per {@code 1 / images-per-second}, and
 * an upload of {@code n} bytes is followed by at least {@code n / bytes-per-second} before the next
 * starts. No burst: the first upload after a pause goes at once, every later one waits its turn, so N
 * uploads always take at least {@code (N - 1) / images-per-second}.
 */
@Component("uplinkRate")
public class UplinkRate {

    private final double imagesPerSecond;
    private final long bytesPerSecond;
    /** The wall-clock time of {@link #baseNanos}: grants are dated on the same clock they are spaced by. */
    private final Instant base = Instant.now();
    private final long baseNanos = System.nanoTime();
    /** When the next upload may start, in nanoseconds of {@link System#nanoTime()}. */
    private long next = Long.MIN_VALUE;
    private boolean started;

    public UplinkRate(StillwaterProperties properties) {
        this.imagesPerSecond = properties.uplink().imagesPerSecond();
        this.bytesPerSecond = properties.uplink().bytesPerSecond().toBytes();
    }

    /**
     * Waits until an upload of {@code bytes} may start, and books it.
     *
     * @return when it was let go
     */
    public synchronized OffsetDateTime acquire(long bytes) {
        long now = System.nanoTime();
        if (started && next - now > 0) {
            long wait;
            while ((wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            now = System.nanoTime();
        }
        started = true;
        long interval = 0;
        if (imagesPerSecond > 0) {
            interval = Math.max(interval, (long) (TimeUnit.SECONDS.toNanos(1) / imagesPerSecond));
        }
        if (bytesPerSecond > 0) {
            interval = Math.max(interval, (long) (bytes * (double) TimeUnit.SECONDS.toNanos(1) / bytesPerSecond));
        }
        next = now + interval;
        return OffsetDateTime.ofInstant(base.plusNanos(now - baseNanos), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
