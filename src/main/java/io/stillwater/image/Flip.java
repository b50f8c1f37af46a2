package io.stillwater.image;

import java.awt.image.BufferedImage;

/** Mirrors the image top to bottom (about its horizontal axis). */
public record Flip() implements Operation {

    @Override
    public BufferedImage applyTo(BufferedImage image) {
        return Orientation.apply(image, 4);
    }
}
