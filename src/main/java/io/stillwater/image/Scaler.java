package io.stillwater.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * Scales packed pixels without aliasing, in two stages.
 *
 * <ol>
 *   <li>While a side is at least twice its target it is halved exactly, with a box filter: each
 *       output pixel is the rounded mean of a 2×2 block (2×1 or 1×2 when only one side halves). An
 *       odd last row or column is left out, and the next stage maps the target onto the source's
 *       true extent, so nothing shifts.</li>
 *   <li>One separable Lanczos-3 step takes the image the rest of the way (a reduction by less than
 *       two, or an enlargement). Per axis and output pixel, the first source pixel and the weights are
 *       computed once, in 12-bit fixed point summing exactly to one, so a flat colour stays exactly
 *       flat. When reducing, the kernel is widened by the reduction factor so that it removes the
 *       detail the smaller image cannot hold instead of folding it into moiré; when enlarging it is
 *       the plain three-lobed kernel. Beyond an edge the edge pixel repeats. Each source row is
 *       resampled across into a small ring of intermediate rows just before the first output row
 *       that needs it, and each output row is accumulated from the few rows under it, so both passes
 *       run along rows over memory that stays in cache; across, red, green and blue share one long
 *       and one multiplication per tap, and down, the loops are plain int arithmetic on arrays,
 *       which the JIT vectorises. Channels are rounded and clamped to 0..255 after each pass.</li>
 * </ol>
 *
 * <p>This works on {@code TYPE_INT_RGB}, {@code TYPE_INT_ARGB} and {@code TYPE_INT_ARGB_PRE} images,
 * the layouts the engine decodes to, and returns the same type. Colour is resampled premultiplied by
 * alpha (a {@code TYPE_INT_ARGB} image is premultiplied as it is read and unpremultiplied at the
 * end), so the hidden colour of transparent pixels does not bleed into visible ones; alpha is
 * resampled with the same weights, and no colour ends up above its alpha. Any other layout is drawn
 * with Java2D instead: bilinear halvings while both sides are at least twice the target, then one
 * bicubic step.
 */
final class Scaler {

    /** Fixed-point precision of the filter weights. */
    private static final int BITS = 12;
    private static final int ONE = 1 << BITS;
    private static final int HALF = 1 << (BITS - 1);
    /** Lobes of the Lanczos kernel: its support is this many source pixels either side (widened when reducing). */
    private static final int LOBES = 3;

    private Scaler() {}

    static BufferedImage scale(BufferedImage image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("cannot scale to " + width + " × " + height);
        }
        if (image.getWidth() == width && image.getHeight() == height) {
            return image;
        }
        if (!packed(image)) {
            return scaleWithJava2d(image, width, height);
        }
        int type = image.getType();
        boolean alpha = type != BufferedImage.TYPE_INT_RGB;
        // True while the pixels still need premultiplying as they are read (only the caller's array).
        boolean premultiply = type == BufferedImage.TYPE_INT_ARGB;
        int[] pixels = pixels(image);
        int w = image.getWidth();
        int h = image.getHeight();
        double extentW = w;
        double extentH = h;
        BufferedImage out = new BufferedImage(width, height, type);
        int[] result = pixels(out);
        while (w / 2 >= width || h / 2 >= height) {
            boolean across = w / 2 >= width;
            boolean down = h / 2 >= height;
            int hw = across ? w / 2 : w;
            int hh = down ? h / 2 : h;
            boolean last = hw == width && hh == height;
            pixels = halve(pixels, w, h, across, down, last ? result : new int[hw * hh], alpha, premultiply);
            premultiply = false;
            w = hw;
            h = hh;
            extentW /= across ? 2 : 1;
            extentH /= down ? 2 : 1;
        }
        if (w != width || h != height) {
            resample(pixels, w, h, extentW, extentH, result, width, height, alpha, premultiply);
        }
        if (type == BufferedImage.TYPE_INT_ARGB) {
            Premultiplied.unpremultiply(result);
        }
        return out;
    }

    static BufferedImage crop(BufferedImage image, int x, int y, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, image.getType());
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, -x, -y, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Whether the image is one of the packed int layouts, stored row after row with nothing between. */
    private static boolean packed(BufferedImage image) {
        int type = image.getType();
        if (type != BufferedImage.TYPE_INT_RGB && type != BufferedImage.TYPE_INT_ARGB
                && type != BufferedImage.TYPE_INT_ARGB_PRE) {
            return false;
        }
        WritableRaster raster = image.getRaster();
        return raster.getParent() == null && raster.getDataBuffer() instanceof DataBufferInt buffer
                && buffer.getNumBanks() == 1 && buffer.getOffset() == 0
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel model
                && model.getScanlineStride() == image.getWidth()
                && buffer.getData().length == image.getWidth() * image.getHeight();
    }

    private static int[] pixels(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }

    /**
     * A box filter halving the width, the height or both: each output pixel the mean of a 2×2 block
     * (or 2×1, 1×2) rounded to nearest, two channels at a time in one int.
     */
    private static int[] halve(int[] src, int w, int h, boolean across, boolean down, int[] out, boolean alpha,
            boolean premultiply) {
        int hw = across ? w / 2 : w;
        int hh = down ? h / 2 : h;
        int[] top = premultiply ? new int[w] : null;
        int[] bottom = premultiply && down ? new int[w] : null;
        int mask = alpha ? 0xFFFFFFFF : 0x00FFFFFF;
        for (int y = 0; y < hh; y++) {
            int[] a = src;
            int[] b = src;
            int r0 = (down ? 2 * y : y) * w;
            int r1 = r0 + w;
            if (premultiply) {
                premultiplyRow(src, r0, w, top);
                a = top;
                r0 = 0;
                if (down) {
                    premultiplyRow(src, r1, w, bottom);
                    b = bottom;
                    r1 = 0;
                }
            }
            int o = y * hw;
            if (across && down) {
                for (int x = 0; x < hw; x++) {
                    int p = a[r0 + 2 * x];
                    int q = a[r0 + 2 * x + 1];
                    int s = b[r1 + 2 * x];
                    int t = b[r1 + 2 * x + 1];
                    // Sums of four 8-bit values fit in the 16 bits each channel has here.
                    int rb = (p & 0xFF00FF) + (q & 0xFF00FF) + (s & 0xFF00FF) + (t & 0xFF00FF) + 0x20002;
                    int ag = ((p >>> 8) & 0xFF00FF) + ((q >>> 8) & 0xFF00FF) + ((s >>> 8) & 0xFF00FF)
                            + ((t >>> 8) & 0xFF00FF) + 0x20002;
                    out[o + x] = ((ag << 6) & 0xFF00FF00 | (rb >>> 2) & 0xFF00FF) & mask;
                }
            } else if (across) {
                for (int x = 0; x < hw; x++) {
                    out[o + x] = mean(a[r0 + 2 * x], a[r0 + 2 * x + 1]) & mask;
                }
            } else {
                for (int x = 0; x < hw; x++) {
                    out[o + x] = mean(a[r0 + x], b[r1 + x]) & mask;
                }
            }
        }
        return out;
    }

    private static int mean(int p, int q) {
        int rb = (p & 0xFF00FF) + (q & 0xFF00FF) + 0x10001;
        int ag = ((p >>> 8) & 0xFF00FF) + ((q >>> 8) & 0xFF00FF) + 0x10001;
        return (ag << 7) & 0xFF00FF00 | (rb >>> 1) & 0xFF00FF;
    }

    /*
     * Red, green and blue travel side by side in one long, 21 bits apart (blue from bit 0, green from
     * 21, red from 42), so one multiplication weighs all three. Each channel's sum starts at LANE_BIAS,
     * which keeps it within its 21 bits whatever the signs of the weights (Taps checks the bound), so no
     * channel borrows from or carries into the next.
     */
    private static final int LANE = 21;
    private static final long LANE_MASK = (1L << LANE) - 1;
    private static final int LANE_BIAS = 1 << 19;
    private static final long LANES_START = lanes(LANE_BIAS + HALF, LANE_BIAS + HALF, LANE_BIAS + HALF);

    /** What a pass reads from each source pixel. */
    private enum Channels { COLOUR, PREMULTIPLIED_COLOUR, ALPHA }

    /**
     * Resamples {@code src} ({@code sw} × {@code sh} pixels standing for an area of
     * {@code extentW} × {@code extentH} pixels) into {@code dst} ({@code dw} × {@code dh}). With alpha
     * the colour and the alpha are resampled in turn and then put together, each colour clamped to
     * at most its alpha (the kernel's lobes can overshoot), as premultiplied pixels need.
     */
    private static void resample(int[] src, int sw, int sh, double extentW, double extentH,
            int[] dst, int dw, int dh, boolean alpha, boolean premultiply) {
        Taps across = Taps.of(sw, extentW, dw);
        Taps down = Taps.of(sh, extentH, dh);
        resample(src, sw, dst, dw, dh, across, down, premultiply ? Channels.PREMULTIPLIED_COLOUR : Channels.COLOUR);
        if (alpha) {
            int[] alphas = new int[dw * dh];
            resample(src, sw, alphas, dw, dh, across, down, Channels.ALPHA);
            for (int i = 0; i < dst.length; i++) {
                int a = alphas[i];
                int p = dst[i];
                dst[i] = a << 24 | Math.min((p >> 16) & 0xFF, a) << 16 | Math.min((p >> 8) & 0xFF, a) << 8
                        | Math.min(p & 0xFF, a);
            }
        }
    }

    /**
     * One pass over the image for {@code channels} (each output pixel as {@code 0x00RRGGBB}, or its
     * alpha alone). Across, each source row is resampled into a small ring of intermediate rows just
     * before the first output row that needs it; down, each output row is accumulated from the few
     * intermediate rows under it. Both run loops the length of a row over memory that stays in cache.
     */
    private static void resample(int[] src, int sw, int[] dst, int dw, int dh, Taps across, Taps down,
            Channels channels) {
        int[] first = across.first;
        int positions = (across.widest() + 3) & ~3;
        int[] weights = across.padded(positions);
        int ring = down.widest();
        // The intermediate rows, one array per channel and row, so that the loops down index all
        // their arrays alike, which lets the JIT vectorise them.
        int[][] red = new int[ring][dw];
        int[][] green = new int[ring][dw];
        int[][] blue = new int[ring][dw];
        int[] held = new int[ring]; // which source row each slot of the ring holds
        Arrays.fill(held, -1);
        // Zeros past the end, read by the zero-weighted positions past a pixel's last tap.
        long[] row = new long[sw + positions];
        long[] sums = new long[dw];
        int[] accR = new int[dw];
        int[] accG = new int[dw];
        int[] accB = new int[dw];
        for (int y = 0; y < dh; y++) {
            int top = down.first[y];
            int n = down.count[y];
            for (int r = top; r < top + n; r++) {
                int slot = r % ring;
                if (held[slot] != r) {
                    held[slot] = r;
                    expand(src, r * sw, row, sw, channels);
                    across(row, first, weights, positions, sums, dw);
                    split(sums, red[slot], green[slot], blue[slot], dw);
                }
            }
            int k = y * down.stride;
            int slot = top % ring;
            int weight = down.weights[k];
            boolean colour = channels != Channels.ALPHA; // alpha alone is in the blue lane
            if (colour) {
                start(red[slot], weight, accR, dw);
                start(green[slot], weight, accG, dw);
            }
            start(blue[slot], weight, accB, dw);
            for (int t = 1; t < n; t++) {
                slot = (top + t) % ring;
                weight = down.weights[k + t];
                if (colour) {
                    add(red[slot], weight, accR, dw);
                    add(green[slot], weight, accG, dw);
                }
                add(blue[slot], weight, accB, dw);
            }
            if (colour) {
                pack(accR, accG, accB, dst, y * dw, dw);
            } else {
                pack(accB, dst, y * dw, dw);
            }
        }
    }

    private static long lanes(int r, int g, int b) {
        return (long) r << (2 * LANE) | (long) g << LANE | b;
    }

    private static long lanes(int p) {
        return (long) (p & 0xFF0000) << (2 * LANE - 16) | (long) (p & 0xFF00) << (LANE - 8) | (p & 0xFF);
    }

    /** One channel of a weighed sum, rounded and clamped to 0..255. */
    private static int lane(long sum, int shift) {
        return clamp((int) (((sum >>> shift) & LANE_MASK) - LANE_BIAS) >> BITS);
    }

    private static void expand(int[] src, int from, long[] row, int n, Channels channels) {
        switch (channels) {
            case COLOUR:
                for (int x = 0; x < n; x++) {
                    row[x] = lanes(src[from + x]);
                }
                break;
            case PREMULTIPLIED_COLOUR:
                for (int x = 0; x < n; x++) {
                    row[x] = lanes(Premultiplied.premultiplied(src[from + x]));
                }
                break;
            default:
                for (int x = 0; x < n; x++) {
                    row[x] = src[from + x] >>> 24;
                }
        }
    }

    /**
     * Across one row: each output pixel's weighed sum of its taps, from {@code positions} (a multiple
     * of four) source pixels starting at its first; the weights past a pixel's own taps are zero. The
     * common tap counts are unrolled, which the JIT turns into straight-line code.
     */
    private static void across(long[] row, int[] first, int[] weights, int positions, long[] acc, int n) {
        switch (positions) {
            case 4:
                for (int x = 0; x < n; x++) {
                    int i = first[x];
                    int k = x * 4;
                    acc[x] = LANES_START + weights[k] * row[i] + weights[k + 1] * row[i + 1]
                            + weights[k + 2] * row[i + 2] + weights[k + 3] * row[i + 3];
                }
                break;
            case 8:
                for (int x = 0; x < n; x++) {
                    int i = first[x];
                    int k = x * 8;
                    acc[x] = LANES_START + weights[k] * row[i] + weights[k + 1] * row[i + 1]
                            + weights[k + 2] * row[i + 2] + weights[k + 3] * row[i + 3]
                            + weights[k + 4] * row[i + 4] + weights[k + 5] * row[i + 5]
                            + weights[k + 6] * row[i + 6] + weights[k + 7] * row[i + 7];
                }
                break;
            case 12:
                for (int x = 0; x < n; x++) {
                    int i = first[x];
                    int k = x * 12;
                    acc[x] = LANES_START + weights[k] * row[i] + weights[k + 1] * row[i + 1]
                            + weights[k + 2] * row[i + 2] + weights[k + 3] * row[i + 3]
                            + weights[k + 4] * row[i + 4] + weights[k + 5] * row[i + 5]
                            + weights[k + 6] * row[i + 6] + weights[k + 7] * row[i + 7]
                            + weights[k + 8] * row[i + 8] + weights[k + 9] * row[i + 9]
                            + weights[k + 10] * row[i + 10] + weights[k + 11] * row[i + 11];
                }
                break;
            default:
                for (int x = 0; x < n; x++) {
                    int i = first[x];
                    int k = x * positions;
                    int end = k + positions;
                    long sum = LANES_START;
                    for (; k < end; k += 4, i += 4) {
                        sum += weights[k] * row[i] + weights[k + 1] * row[i + 1]
                                + weights[k + 2] * row[i + 2] + weights[k + 3] * row[i + 3];
                    }
                    acc[x] = sum;
                }
        }
    }

    /** Rounds and clamps each channel of weighed sums to 0..255, into one array per channel. */
    private static void split(long[] sums, int[] red, int[] green, int[] blue, int n) {
        for (int x = 0; x < n; x++) {
            long sum = sums[x];
            red[x] = lane(sum, 2 * LANE);
            green[x] = lane(sum, LANE);
            blue[x] = lane(sum, 0);
        }
    }

    private static void start(int[] plane, int weight, int[] acc, int n) {
        for (int x = 0; x < n; x++) {
            acc[x] = HALF + weight * plane[x];
        }
    }

    private static void add(int[] plane, int weight, int[] acc, int n) {
        for (int x = 0; x < n; x++) {
            acc[x] += weight * plane[x];
        }
    }

    private static void pack(int[] red, int[] green, int[] blue, int[] dst, int to, int n) {
        for (int x = 0; x < n; x++) {
            dst[to + x] = clamp(red[x] >> BITS) << 16 | clamp(green[x] >> BITS) << 8 | clamp(blue[x] >> BITS);
        }
    }

    private static void pack(int[] sums, int[] dst, int to, int n) {
        for (int x = 0; x < n; x++) {
            dst[to + x] = clamp(sums[x] >> BITS);
        }
    }

    private static int clamp(int v) {
        return (v & ~0xFF) == 0 ? v : v < 0 ? 0 : 255;
    }

    private static void premultiplyRow(int[] src, int from, int n, int[] dst) {
        for (int i = 0; i < n; i++) {
            dst[i] = Premultiplied.premultiplied(src[from + i]);
        }
    }

    /**
     * For one axis, per output index: the first source index, how many follow, and their weights.
     */
    private record Taps(int[] first, int[] count, int[] weights, int stride) {

        /**
         * @param n source pixels
         * @param extent the source length they stand for (more than {@code n} when an odd last pixel
         *     was left out by a halving)
         * @param size output pixels
         */
        static Taps of(int n, double extent, int size) {
            double scale = size / extent;
            double widen = Math.max(1, 1 / scale);
            double support = LOBES * widen;
            int stride = ((int) Math.ceil(2 * support) + 2 + 3) & ~3;
            int[] first = new int[size];
            int[] count = new int[size];
            int[] weights = new int[size * stride];
            double[] raw = new double[stride];
            for (int i = 0; i < size; i++) {
                double centre = (i + 0.5) / scale; // in source coordinates, pixel j spanning [j, j + 1)
                int lo = (int) Math.floor(centre - 0.5 - support);
                int hi = (int) Math.ceil(centre - 0.5 + support);
                int start = Math.max(0, Math.min(lo, n - 1));
                int end = Math.min(n - 1, Math.max(hi, 0));
                Arrays.fill(raw, 0);
                double sum = 0;
                for (int j = lo; j <= hi; j++) {
                    double v = lanczos((j + 0.5 - centre) / widen);
                    if (v == 0) {
                        continue;
                    }
                    // Beyond an edge, the edge pixel repeats.
                    raw[Math.max(start, Math.min(end, j)) - start] += v;
                    sum += v;
                }
                int taps = end - start + 1;
                int total = 0;
                int largest = 0;
                for (int t = 0; t < taps; t++) {
                    int w = (int) Math.round(raw[t] / sum * ONE);
                    weights[i * stride + t] = w;
                    total += w;
                    if (Math.abs(w) > Math.abs(weights[i * stride + largest])) {
                        largest = t;
                    }
                }
                // Rounding must not make the weights sum to other than one, or a flat colour would drift.
                weights[i * stride + largest] += ONE - total;
                // Trim zero weights at both ends.
                while (taps > 1 && weights[i * stride + taps - 1] == 0) {
                    taps--;
                }
                int skip = 0;
                while (skip < taps - 1 && weights[i * stride + skip] == 0) {
                    skip++;
                }
                if (skip > 0) {
                    System.arraycopy(weights, i * stride + skip, weights, i * stride, taps - skip);
                    Arrays.fill(weights, i * stride + taps - skip, i * stride + taps, 0);
                }
                first[i] = start + skip;
                count[i] = taps - skip;
                checkLanes(weights, i * stride, count[i]);
            }
            return new Taps(first, count, weights, stride);
        }

        /** Whether any sum of 8-bit samples under these weights stays within its lane. */
        private static void checkLanes(int[] weights, int from, int n) {
            long positive = 0;
            long negative = 0;
            for (int t = 0; t < n; t++) {
                int w = weights[from + t];
                if (w > 0) {
                    positive += w;
                } else {
                    negative -= w;
                }
            }
            if (255 * positive + LANE_BIAS + HALF > LANE_MASK || 255 * negative > LANE_BIAS) {
                throw new IllegalStateException("filter weights too large for their lanes");
            }
        }

        /** The most taps of any output pixel. */
        int widest() {
            int most = 1;
            for (int c : count) {
                most = Math.max(most, c);
            }
            return most;
        }

        /** The weights, {@code positions} per output pixel: its own, then zeros. */
        int[] padded(int positions) {
            int size = first.length;
            int[] out = new int[positions * size];
            for (int i = 0; i < size; i++) {
                System.arraycopy(weights, i * stride, out, i * positions, count[i]);
            }
            return out;
        }

        private static double lanczos(double x) {
            if (x == 0) {
                return 1;
            }
            if (x <= -LOBES || x >= LOBES) {
                return 0;
            }
            double px = Math.PI * x;
            return LOBES * Math.sin(px) * Math.sin(px / LOBES) / (px * px);
        }
    }

    /** The Java2D path: bilinear halvings, then one bicubic step (any image type; also the benchmark's reference). */
    static BufferedImage scaleWithJava2d(BufferedImage image, int width, int height) {
        BufferedImage current = image;
        while (current.getWidth() / 2 >= width && current.getHeight() / 2 >= height) {
            current = draw(current, current.getWidth() / 2, current.getHeight() / 2,
                    RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (current.getWidth() == width && current.getHeight() == height) {
            return current;
        }
        return draw(current, width, height, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    }

    private static BufferedImage draw(BufferedImage image, int width, int height, Object interpolation) {
        BufferedImage out = new BufferedImage(width, height, image.getType());
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
