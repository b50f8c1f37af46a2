package io.stillwater.image;

import java.awt.image.BufferedImage;

/** Mirrors the image left to right (about its vertical axis). */
public record Flop() implements Operation {

    @Override
    public BufferedImage applyTo(BufferedImage image) {
        return Orientation.apply(image, 2);
    }
}
