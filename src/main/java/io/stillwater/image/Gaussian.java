package io.stillwater.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Separable Gaussian blur (a horizontal then a vertical pass of a kernel three sigmas wide) and the
 * unsharp mask built on it. Colour is blurred premultiplied by alpha, so transparent pixels do not
 * bleed their hidden colour into visible neighbours.
 *
 * <p>A wide blur costs in proportion to its kernel; above {@value #EXACT_SIGMA} the image is blurred
 * at a reduced size and scaled back, which a wide blur cannot tell apart from the exact result.
 */
final class Gaussian {

    /** Largest sigma blurred at full size; the kernel is then at most 49 taps. */
    static final double EXACT_SIGMA = 8;

    private Gaussian() {}

    static BufferedImage blur(BufferedImage image, double sigma) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (sigma > EXACT_SIGMA && Math.min(w, h) > 16) {
            double factor = Math.min(sigma / (EXACT_SIGMA / 2), Math.min(w, h) / 8.0);
            BufferedImage small = Scaler.scale(image, Math.max(1, (int) Math.round(w / factor)),
                    Math.max(1, (int) Math.round(h / factor)));
            return Scaler.scale(blur(small, sigma / factor), w, h);
        }
        boolean alpha = image.getColorModel().hasAlpha();
        int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
        if (alpha) {
            Premultiplied.premultiply(pixels);
        }
        float[] kernel = kernel(sigma);
        int[] across = new int[pixels.length];
        horizontal(pixels, across, w, h, kernel);
        vertical(across, pixels, w, h, kernel);
        if (alpha) {
            Premultiplied.unpremultiply(pixels);
        }
        BufferedImage out = new BufferedImage(w, h, image.getType());
        out.setRGB(0, 0, w, h, pixels, 0, w);
        return out;
    }

    /**
     * @param amount how much of the detail (image minus blur) is added back; 1 doubles it
     */
    static BufferedImage unsharpMask(BufferedImage image, double sigma, double amount) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] source = image.getRGB(0, 0, w, h, null, 0, w);
        int[] blurred = blur(image, sigma).getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < source.length; i++) {
            int s = source[i];
            int b = blurred[i];
            int out = s & 0xFF000000;
            for (int shift = 0; shift <= 16; shift += 8) {
                int sv = (s >> shift) & 0xFF;
                int bv = (b >> shift) & 0xFF;
                out |= clamp((int) Math.round(sv + amount * (sv - bv))) << shift;
            }
            blurred[i] = out;
        }
        BufferedImage result = new BufferedImage(w, h, image.getType());
        result.setRGB(0, 0, w, h, blurred, 0, w);
        return result;
    }

    static float[] kernel(double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            double v = Math.exp(-(i * i) / (2 * sigma * sigma));
            kernel[i + radius] = (float) v;
            sum += v;
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= (float) sum;
        }
        return kernel;
    }

    private static void horizontal(int[] src, int[] dst, int w, int h, float[] kernel) {
        int radius = kernel.length / 2;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                float a = 0;
                float r = 0;
                float g = 0;
                float b = 0;
                for (int k = 0; k < kernel.length; k++) {
                    int p = src[row + Math.min(w - 1, Math.max(0, x + k - radius))];
                    float weight = kernel[k];
                    a += weight * (p >>> 24);
                    r += weight * ((p >> 16) & 0xFF);
                    g += weight * ((p >> 8) & 0xFF);
                    b += weight * (p & 0xFF);
                }
                dst[row + x] = pack(a, r, g, b);
            }
        }
    }

    /** Row by row, accumulating whole source rows, so memory is read in order. */
    private static void vertical(int[] src, int[] dst, int w, int h, float[] kernel) {
        int radius = kernel.length / 2;
        float[] acc = new float[w * 4];
        for (int y = 0; y < h; y++) {
            Arrays.fill(acc, 0);
            for (int k = 0; k < kernel.length; k++) {
                int row = Math.min(h - 1, Math.max(0, y + k - radius)) * w;
                float weight = kernel[k];
                for (int x = 0; x < w; x++) {
                    int p = src[row + x];
                    int i = x * 4;
                    acc[i] += weight * (p >>> 24);
                    acc[i + 1] += weight * ((p >> 16) & 0xFF);
                    acc[i + 2] += weight * ((p >> 8) & 0xFF);
                    acc[i + 3] += weight * (p & 0xFF);
                }
            }
            for (int x = 0; x < w; x++) {
                int i = x * 4;
                dst[y * w + x] = pack(acc[i], acc[i + 1], acc[i + 2], acc[i + 3]);
            }
        }
    }

    private static int pack(float a, float r, float g, float b) {
        return clamp(Math.round(a)) << 24 | clamp(Math.round(r)) << 16 | clamp(Math.round(g)) << 8 | clamp(Math.round(b));
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
