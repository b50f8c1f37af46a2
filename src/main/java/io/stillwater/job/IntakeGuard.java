package io.stillwater.job;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.image.ImageException;
import io.stillwater.image.ImageInfo;
import io.stillwater.image.ImageInspector;
import org.springframework.stereotype.Component;

/**
 * The cheap checks intake makes before anything is stored: the format by the bytes, and the
 * dimensions from the header against the pixel limit. No pixel is decoded.
 */
@Component("intakeGuard")
public class IntakeGuard {

    private final ImageInspector inspector = new ImageInspector();
    private final long maxPixels;

    public IntakeGuard(StillwaterProperties properties) {
        this.maxPixels = properties.limits().maxPixels();
    }

    /**
     * @throws ImageException {@code unsupported-image} or {@code image-too-large}
     */
    public Submission check(Submission submission) {
        ImageInfo info = inspector.inspect(submission.data());
        if (info.pixels() > maxPixels) {
            throw ImageException.tooManyPixels(info, maxPixels);
        }
        return submission.withInfo(info);
    }
}
