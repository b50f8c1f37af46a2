package io.stillwater.job;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.image.ImageException;
import io.stillwater.image.ImageInfo;
import io.stillwater.image.ImageInspector;
import io.stillwater.image.ImageLimits;
import org.springframework.stereotype.Component;

/**
 * The cheap checks intake makes before anything is stored: the format by the bytes, the dimensions
 * and frame count from the header against the limits (no pixel is decoded), and the depth of the job's priority
 * class against {@code stillwater.intake.max-queued}. The depth is read from the job store, which all
 * instances share, so it holds across a cluster and whichever broker runs.
 */
@Component("intakeGuard")
public class IntakeGuard {

    private final ImageInspector inspector = new ImageInspector();
    private final JobStore store;
    private final ImageLimits limits;
    private final int maxQueued;

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
        if (store.countQueued(priority) >= maxQueued) {
            throw new QueueFullException(priority, maxQueued);
        }
        return submission;
    }
}
