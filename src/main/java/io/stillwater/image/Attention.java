package io.stillwater.image;

import java.awt.Point;
import java.awt.image.BufferedImage;

/**
 * Finds the most detailed region of an image for {@code gravity: attention}: the window with the most
 * edge energy (the sum of luminance differences to the right and below neighbours). It works on a
 * copy at most {@value #SIDE} pixels on its longer side, so it costs the same on any image, with a
 * summed-area table so every window position is weighed in constant time.
 */
final class Attention {

    /** Longer side of the copy the search runs on: detail at this scale is what a viewer notices. */
    static final int SIDE = 96;

    private Attention() {}

    static Point focus(BufferedImage image, int width, int height) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (width >= w && height >= h) {
            return new Point(0, 0);
        }
        double scale = Math.min(1, SIDE / (double) Math.max(w, h));
        int sw = Math.max(1, (int) Math.round(w * scale));
        int sh = Math.max(1, (int) Math.round(h * scale));
        BufferedImage small = scale == 1 ? image : Scaler.scale(image, sw, sh);
        long[] table = summedEnergy(small);
        int ww = Math.min(sw, Math.max(1, (int) Math.round(width * scale)));
        int wh = Math.min(sh, Math.max(1, (int) Math.round(height * scale)));
        int bestX = (sw - ww) / 2;
        int bestY = (sh - wh) / 2;
        long best = windowSum(table, sw, bestX, bestY, ww, wh);
        for (int y = 0; y + wh <= sh; y++) {
            for (int x = 0; x + ww <= sw; x++) {
                long sum = windowSum(table, sw, x, y, ww, wh);
                // Ties go to the window nearer the centre, so a flat image crops like CENTRE.
                if (sum > best || sum == best && distance(x, y, sw - ww, sh - wh) < distance(bestX, bestY, sw - ww, sh - wh)) {
                    best = sum;
                    bestX = x;
                    bestY = y;
                }
            }
        }
        int x = (int) Math.round(bestX / scale);
        int y = (int) Math.round(bestY / scale);
        return new Point(Math.max(0, Math.min(w - width, x)), Math.max(0, Math.min(h - height, y)));
    }

    private static double distance(int x, int y, int freeX, int freeY) {
        return Math.hypot(x - freeX / 2.0, y - freeY / 2.0);
    }

    /** Summed-area table of the edge energy, (w + 1) × (h + 1) with a zero first row and column. */
    private static long[] summedEnergy(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        int[] luma = new int[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            int p = rgb[i];
            luma[i] = (299 * ((p >> 16) & 0xFF) + 587 * ((p >> 8) & 0xFF) + 114 * (p & 0xFF)) / 1000;
        }
        long[] table = new long[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            long row = 0;
            for (int x = 0; x < w; x++) {
                int l = luma[y * w + x];
                int energy = (x + 1 < w ? Math.abs(l - luma[y * w + x + 1]) : 0)
                        + (y + 1 < h ? Math.abs(l - luma[(y + 1) * w + x]) : 0);
                row += energy;
                table[(y + 1) * (w + 1) + x + 1] = table[y * (w + 1) + x + 1] + row;
            }
        }
        return table;
    }

    private static long windowSum(long[] table, int w, int x, int y, int ww, int wh) {
        int stride = w + 1;
        return table[(y + wh) * stride + x + ww] - table[y * stride + x + ww]
                - table[(y + wh) * stride + x] + table[y * stride + x];
    }
}
