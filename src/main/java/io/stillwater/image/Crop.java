package io.stillwater.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.awt.Point;
import java.awt.image.BufferedImage;

/**
 * Cuts a region out of the image: a box at {@code x}, {@code y}, or a {@code width} × {@code height}
 * region placed by {@code gravity} (the centre when neither is given). A box reaching past the image
 * is clamped to it, since the image size is only known for sure after earlier operations; only a box
 * entirely outside fails the job. A gravity region larger than the image is clamped likewise.
 *
 * @param x left edge of the box
 * @param y top edge of the box
 * @param width region width in pixels
 * @param height region height in pixels
 * @param gravity where the region sits when no box is given
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Crop(
        @PositiveOrZero Integer x,
        @PositiveOrZero Integer y,
        @NotNull @Positive Integer width,
        @NotNull @Positive Integer height,
        Gravity gravity) implements Operation {

    /** Reported on {@code x}: a box needs both corners' coordinates. */
    @AssertTrue(message = "give x and y together")
    boolean isX() {
        return (x == null) == (y == null);
    }

    @AssertTrue(message = "give either x and y or gravity, not both")
    boolean isGravity() {
        return gravity == null || x == null && y == null;
    }

    @Override
    public BufferedImage applyTo(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (x != null) {
            int left = Math.min(x, w);
            int top = Math.min(y, h);
            int right = (int) Math.min((long) x + width, w);
            int bottom = (int) Math.min((long) y + height, h);
            if (right <= left || bottom <= top) {
                throw new ImageException("invalid-spec",
                        "the crop box %d,%d %d×%d lies outside the %d×%d image".formatted(x, y, width, height, w, h));
            }
            return Scaler.crop(image, left, top, right - left, bottom - top);
        }
        int cw = Math.min(width, w);
        int ch = Math.min(height, h);
        if (cw == w && ch == h) {
            return image;
        }
        Point origin = (gravity == null ? Gravity.CENTRE : gravity).origin(image, cw, ch);
        return Scaler.crop(image, origin.x, origin.y, cw, ch);
    }
}
