package io.stillwater.image;

import java.util.concurrent.Semaphore;

/**
 * The heap that images in flight in one process may hold between them: renders, and uploads being
 * taken in. Before it reads its source, a render takes its estimate ({@link ImageEngine#estimate}
 * and the source's length) from the budget and waits while others hold too much of it; it gives it
 * back when its renditions are encoded. An upload takes its length while intake holds its bytes. A
 * share larger than the whole budget waits for all of it, and so runs alone (the engine refuses
 * renders that large before they ask, {@code ImageEngine#affordable}). Waiters are served in
 * order, so a large image is not passed over for ever by small ones.
 */
public final class MemoryBudget {

    /** The budget is counted in KiB, so that an int of permits covers any heap. */
    private static final int UNIT = 1024;

    private final Semaphore permits;
    private final int total;

    /** @param bytes the budget; {@code Long.MAX_VALUE} for none */
    public MemoryBudget(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a memory budget must be positive: " + bytes);
        }
        this.total = (int) Math.min(Integer.MAX_VALUE, Math.max(1, bytes / UNIT));
        this.permits = new Semaphore(total, true);
    }

    /** The budget in bytes. */
    public long bytes() {
        return (long) total * UNIT;
    }

    /** Waits until {@code bytes} (at most the whole budget) are free and takes them. */
    public Lease acquire(long bytes) {
        int units = (int) Math.max(1, Math.min(total, (bytes + UNIT - 1) / UNIT));
        try {
            permits.acquire(units);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for memory to decode", e);
        }
        return () -> permits.release(units);
    }

    /** Held memory, given back by {@link #close}. */
    public interface Lease {
        void close();
    }
}
