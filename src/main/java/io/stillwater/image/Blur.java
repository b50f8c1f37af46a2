package io.stillwater.image;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.awt.image.BufferedImage;

/**
 * Gaussian blur.
 *
 * @param sigma standard deviation in pixels, 0.3–100
 */
public record Blur(@NotNull @DecimalMin("0.3") @DecimalMax("100") Double sigma) implements Operation {

    @Override
    public BufferedImage applyTo(BufferedImage image) {
        return Gaussian.blur(image, sigma);
    }
}
