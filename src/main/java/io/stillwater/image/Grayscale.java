package io.stillwater.image;

import java.awt.image.BufferedImage;

/**
 * Replaces each colour by its luma (Rec. 709 weights on the sRGB values, as most tools do), keeping
 * alpha. The result stays RGB so every later operation and encoder sees one pixel layout.
 */
public record Grayscale() implements Operation {

    @Override
    public BufferedImage applyTo(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < pixels.length; i++) {
            int p = pixels[i];
            int luma = (int) Math.round(0.2126 * ((p >> 16) & 0xFF) + 0.7152 * ((p >> 8) & 0xFF) + 0.0722 * (p & 0xFF));
            pixels[i] = (p & 0xFF000000) | luma << 16 | luma << 8 | luma;
        }
        BufferedImage out = new BufferedImage(w, h, image.getType());
        out.setRGB(0, 0, w, h, pixels, 0, w);
        return out;
    }
}
