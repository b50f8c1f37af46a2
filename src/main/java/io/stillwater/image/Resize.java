package io.stillwater.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Scales the image to a box. With only one of width and height the other follows the aspect ratio.
 *
 * @param width box width in pixels
 * @param height box height in pixels
 * @param fit {@code inside} (default) keeps the whole image within the box; {@code cover} fills the
 *     box and crops the overflow; {@code fill} stretches to exactly the box; {@code contain} fits
 *     inside and pads to exactly the box with {@code background}
 * @param enlarge whether a smaller source may be scaled up (default false)
 * @param gravity with {@code cover}: which part the crop keeps (default {@code centre})
 * @param background with {@code contain}: the padding colour, {@code #rrggbb} or {@code #rrggbbaa}
 *     (default white)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Resize(
        @Positive Integer width,
        @Positive Integer height,
        Fit fit,
        Boolean enlarge,
        Gravity gravity,
        @Pattern(regexp = Colour.PATTERN, message = "must be #rrggbb or #rrggbbaa") String background)
        implements Operation {

    public enum Fit {
        @JsonProperty("inside") INSIDE,
        @JsonProperty("cover") COVER,
        @JsonProperty("fill") FILL,
        @JsonProperty("contain") CONTAIN
    }

    /** A resize with no gravity or background, as most callers need. */
    public Resize(Integer width, Integer height, Fit fit, Boolean enlarge) {
        this(width, height, fit, enlarge, null, null);
    }

    public Fit fitOrDefault() {
        return fit == null ? Fit.INSIDE : fit;
    }

    public boolean enlargeOrDefault() {
        return Boolean.TRUE.equals(enlarge);
    }

    public Gravity gravityOrDefault() {
        return gravity == null ? Gravity.CENTRE : gravity;
    }

    /** The padding colour as packed ARGB. */
    public int backgroundOrDefault() {
        return background == null ? Colour.WHITE : Colour.parse(background);
    }

    /** True when the padding lets the background show through, which only PNG and WebP can keep. */
    public boolean hasTransparentBackground() {
        return !Colour.isOpaque(background);
    }

    @AssertTrue(message = "a resize needs a width, a height or both")
    boolean isSized() {
        return width != null || height != null;
    }

    /** Reported on {@code width}: fill and contain make exactly a box, so both sides are needed. */
    @AssertTrue(message = "fit fill and contain need both width and height")
    boolean isWidth() {
        Fit f = fitOrDefault();
        return f != Fit.FILL && f != Fit.CONTAIN || width != null && height != null || width == null && height == null;
    }

    @AssertTrue(message = "gravity applies only to fit cover")
    boolean isGravity() {
        return gravity == null || fitOrDefault() == Fit.COVER;
    }

    @AssertTrue(message = "background applies only to fit contain")
    boolean isBackground() {
        return background == null || fitOrDefault() == Fit.CONTAIN;
    }

    /**
     * The most pixels {@link #applyTo} allocates for one image on a {@code sw} × {@code sh} source:
     * the scaled image (before a {@code cover} crop) or the padded box. Computed in 64 bits, so a side
     * derived from an extreme aspect ratio cannot wrap.
     */
    public long pixelsFor(int sw, int sh) {
        double sx = width == null ? Double.NaN : width / (double) sw;
        double sy = height == null ? Double.NaN : height / (double) sh;
        boolean box = width != null && height != null;
        Fit f = box ? fitOrDefault() : Fit.INSIDE;
        switch (f) {
            case COVER: {
                double scale = Math.max(sx, sy);
                if (scale > 1 && !enlargeOrDefault()) {
                    return (long) sw * sh;
                }
                return Math.max(width, side(sw * scale)) * Math.max(height, side(sh * scale));
            }
            case FILL:
            case CONTAIN:
                return Math.max((long) width * height, (long) sw * sh);
            default: {
                double scale = Double.isNaN(sx) ? sy : Double.isNaN(sy) ? sx : Math.min(sx, sy);
                if (scale > 1 && !enlargeOrDefault()) {
                    return (long) sw * sh;
                }
                return side(sw * scale) * side(sh * scale);
            }
        }
    }

    private static long side(double value) {
        return Math.max(1, Math.round(value));
    }

    @Override
    public BufferedImage applyTo(BufferedImage image) {
        int sw = image.getWidth();
        int sh = image.getHeight();
        double sx = width == null ? Double.NaN : width / (double) sw;
        double sy = height == null ? Double.NaN : height / (double) sh;
        boolean box = width != null && height != null;
        Fit f = box ? fitOrDefault() : Fit.INSIDE;
        switch (f) {
            case COVER:
                return cover(image, Math.max(sx, sy));
            case FILL:
                return fill(image);
            case CONTAIN:
                return contain(image, Math.min(sx, sy));
            default:
                double scale = Double.isNaN(sx) ? sy : Double.isNaN(sy) ? sx : Math.min(sx, sy);
                if (scale > 1 && !enlargeOrDefault()) {
                    return image;
                }
                return Scaler.scale(image, dimension(sw * scale), dimension(sh * scale));
        }
    }

    private BufferedImage cover(BufferedImage image, double scale) {
        int sw = image.getWidth();
        int sh = image.getHeight();
        int boxW = width;
        int boxH = height;
        if (scale > 1 && !enlargeOrDefault()) {
            // Keep the box's aspect ratio, at the largest size the source fills without enlarging.
            boxW = Math.min(sw, dimension(boxW / scale));
            boxH = Math.min(sh, dimension(boxH / scale));
            scale = 1;
        }
        int scaledW = Math.max(boxW, dimension(sw * scale));
        int scaledH = Math.max(boxH, dimension(sh * scale));
        BufferedImage scaled = scale == 1 ? image : Scaler.scale(image, scaledW, scaledH);
        Point origin = gravityOrDefault().origin(scaled, boxW, boxH);
        return Scaler.crop(scaled, origin.x, origin.y, boxW, boxH);
    }

    private BufferedImage fill(BufferedImage image) {
        int boxW = width;
        int boxH = height;
        double shrink = Math.min(image.getWidth() / (double) boxW, image.getHeight() / (double) boxH);
        if (shrink < 1 && !enlargeOrDefault()) {
            // As with cover: the box's shape at the largest size that enlarges neither side.
            boxW = dimension(boxW * shrink);
            boxH = dimension(boxH * shrink);
        }
        if (boxW == image.getWidth() && boxH == image.getHeight()) {
            return image;
        }
        return Scaler.scale(image, boxW, boxH);
    }

    private BufferedImage contain(BufferedImage image, double scale) {
        if (scale > 1 && !enlargeOrDefault()) {
            scale = 1;
        }
        BufferedImage scaled = scale == 1 ? image
                : Scaler.scale(image, dimension(image.getWidth() * scale), dimension(image.getHeight() * scale));
        int colour = backgroundOrDefault();
        boolean alpha = image.getColorModel().hasAlpha() || colour >>> 24 != 0xFF;
        BufferedImage out = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        Arrays.fill(row, colour);
        for (int y = 0; y < height; y++) {
            out.setRGB(0, y, width, 1, row, 0, width);
        }
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(scaled, (width - scaled.getWidth()) / 2, (height - scaled.getHeight()) / 2, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static int dimension(double value) {
        return Math.max(1, (int) Math.round(value));
    }
}
