package io.stillwater.image;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.awt.image.BufferedImage;

/**
 * Turns the image clockwise by a quarter, a half or three quarters. Only right angles: they are
 * lossless and need no background, and EXIF orientation already ran before the operations.
 *
 * @param angle 90, 180 or 270 degrees clockwise
 */
public record Rotate(@NotNull Integer angle) implements Operation {

    @AssertTrue(message = "must be 90, 180 or 270")
    boolean isAngle() {
        return angle == null || angle == 90 || angle == 180 || angle == 270;
    }

    @Override
    public BufferedImage applyTo(BufferedImage image) {
        // The EXIF orientations that display a stored image turned by these angles.
        int orientation = angle == 90 ? 6 : angle == 180 ? 3 : 8;
        return Orientation.apply(image, orientation);
    }
}
