package io.stillwater.job;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.image.ImageException;
import io.stillwater.image.ImageInfo;
import io.stillwater.image.ImageInspector;
import io.stillwater.image.ImageLimits;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The cheap checks intake makes before anything is stored: the format by the bytes, the dimensions
 * and frame count from the header against the limits (no pixel is decoded), and the depth of the job's priority
 * class against {@code stillwater.intake.max-queued}. The depth is read from the job store, which all
 * instances share, so it holds across a cluster and whichever broker runs.
 *
 * <p>Counting a class's waiting jobs costs more the deeper its queue, so a count is reused for
 * {@value #DEPTH_READ_EVERY_MILLIS} ms, plus the jobs this instance let through since. A count that says
 * the class is full is always read afresh, so a class that drained takes work again at once; between
 * two reads other instances may overshoot the limit by what they take in that time.
 */
@Component("intakeGuard")
public class IntakeGuard {

    private static final long DEPTH_READ_EVERY_MILLIS = 100;

    private final ImageInspector inspector = new ImageInspector();
    private final JobStore store;
    private final ImageLimits limits;
    private final int maxQueued;
    private final Map<Priority, Depth> depths = new ConcurrentHashMap<>();

    /** A class's depth as last read from the store, and the jobs let through since. */
    private record Depth(long readAt, AtomicInteger queued) {}

    public IntakeGuard(JobStore store, StillwaterProperties properties) {
        this.store = store;
        this.limits = new ImageLimits(properties.limits().maxPixels(), properties.limits().maxFrames());
        this.maxQueued = properties.intake().maxQueued();
    }

    /**
     * @throws ImageException {@code unsupported-image} or {@code image-too-large}
     */
    public Submission check(Submission submission) {
        ImageInfo info = inspector.inspect(submission.data());
        limits.check(info);
        return submission.withInfo(info);
    }

    /**
     * Checked only for a submission that becomes a new job: one the result cache answers adds nothing
     * to any queue.
     *
     * @throws QueueFullException when the job's priority class has {@code max-queued} jobs waiting
     */
    public Submission checkCapacity(Submission submission) {
        Priority priority = submission.request().priority();
        long now = System.nanoTime();
        Depth depth = depths.get(priority);
        if (depth == null || depth.queued().get() >= maxQueued
                || now - depth.readAt() > TimeUnit.MILLISECONDS.toNanos(DEPTH_READ_EVERY_MILLIS)) {
            depth = new Depth(now, new AtomicInteger(store.countQueued(priority)));
            depths.put(priority, depth);
        }
        if (depth.queued().incrementAndGet() > maxQueued) {
            depth.queued().decrementAndGet();
            throw new QueueFullException(priority, maxQueued);
        }
        return submission;
    }
}
