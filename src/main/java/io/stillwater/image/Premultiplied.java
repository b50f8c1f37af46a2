package io.stillwater.image;

/**
 * Packed ARGB pixels to and from premultiplied form, for filters that mix neighbouring pixels: mixed
 * premultiplied, a transparent pixel's hidden colour cannot bleed into its visible neighbours.
 */
final class Premultiplied {

    private Premultiplied() {}

    /** One pixel premultiplied: each colour times its alpha / 255, rounded. */
    static int premultiplied(int p) {
        int a = p >>> 24;
        return a == 255 ? p : a == 0 ? 0
                : a << 24 | times(p >> 16 & 0xFF, a) << 16 | times(p >> 8 & 0xFF, a) << 8 | times(p & 0xFF, a);
    }

    static void premultiply(int[] pixels) {
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = premultiplied(pixels[i]);
        }
    }

    static void unpremultiply(int[] pixels) {
        for (int i = 0; i < pixels.length; i++) {
            int p = pixels[i];
            int a = p >>> 24;
            if (a == 0) {
                pixels[i] = 0;
            } else if (a < 255) {
                int half = a / 2;
                pixels[i] = a << 24 | Math.min(255, (((p >> 16) & 0xFF) * 255 + half) / a) << 16
                        | Math.min(255, (((p >> 8) & 0xFF) * 255 + half) / a) << 8
                        | Math.min(255, ((p & 0xFF) * 255 + half) / a);
            }
        }
    }

    /** {@code c * a / 255}, rounded (never a tie: 255 is odd). */
    private static int times(int c, int a) {
        int t = c * a + 128;
        return (t + (t >> 8)) >> 8;
    }
}
