package io.stillwater.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import java.awt.image.BufferedImage;

/**
 * Unsharp mask: adds back the difference between the image and a Gaussian blur of it, which raises
 * contrast across edges narrower than about {@code sigma}.
 *
 * @param sigma radius of the detail to sharpen, in pixels, 0.3–10 (default 1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Sharpen(@DecimalMin("0.3") @DecimalMax("10") Double sigma) implements Operation {

    public static final double DEFAULT_SIGMA = 1.0;

    @Override
    public BufferedImage applyTo(BufferedImage image) {
        return Gaussian.unsharpMask(image, sigma == null ? DEFAULT_SIGMA : sigma, 1.0);
    }
}
