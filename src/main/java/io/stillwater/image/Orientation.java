package io.stillwater.image;

import java.awt.image.BufferedImage;

/** Turns stored pixels into displayed pixels for the eight EXIF orientations. */
final class Orientation {

    private Orientation() {}

    /**
     * @param image an image of type {@code TYPE_INT_RGB} or {@code TYPE_INT_ARGB}
     * @param orientation EXIF orientation 1–8
     * @return the image as it should be displayed (the same instance for orientation 1)
     */
    static BufferedImage apply(BufferedImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5;
        int dw = swap ? h : w;
        int dh = swap ? w : h;
        int[] src = image.getRGB(0, 0, w, h, null, 0, w);
        int[] dst = new int[src.length];
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                dst[y * dw + x] = src[sy * w + sx];
            }
        }
        BufferedImage out = new BufferedImage(dw, dh, image.getType());
        out.setRGB(0, 0, dw, dh, dst, 0, dw);
        return out;
    }
}
