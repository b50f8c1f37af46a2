package io.stillwater.image;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Renders a job's outputs from one source image: checks the header against the limits, decodes once
 * (at reduced resolution when every output is a large downscale) into sRGB, applies EXIF orientation,
 * runs each output's operations in order and encodes it. Renditions carry no metadata from the
 * source, except the profile and copyright an output asks to keep.
 *
 * <p>Ordinary JPEGs (YCbCr or greyscale) are decoded and JPEG renditions encoded with libjpeg-turbo
 * when it is installed and not turned off ({@link NativeJpeg}); otherwise they are decoded by the
 * pure-Java {@link JpegDecoder} and encoded through ImageIO; any file either decoder fails on goes
 * to ImageIO's reader, which judges it.
 */
public final class ImageEngine {

    /** Whether JPEG decode and encode may use libjpeg-turbo ({@code libturbojpeg.so.0}). */
    public enum NativeJpeg {
        /** Use it when it is installed, else ImageIO. */
        AUTO,
        /** Always ImageIO. */
        OFF
    }

    /**
     * Heap a render may hold per decoded pixel, in bytes: three times the packed pixels (4 bytes). A
     * full-size re-encode on the pure-Java path peaks at about 3 times its decoded size (at most 3.6),
     * garbage included, libjpeg-turbo's at 1.0 ({@code EngineMemoryBenchmark}, README, Performance).
     */
    static final long BYTES_PER_DECODED_PIXEL = 12;

    private final ImageInspector inspector = new ImageInspector();
    private final ImageLimits limits;
    private final boolean turboJpeg;
    private final MemoryBudget budget;

    /** @param maxPixels the largest source, width × height, this engine will decode */
    public ImageEngine(long maxPixels) {
        this(new ImageLimits(maxPixels, ImageLimits.DEFAULT_MAX_FRAMES));
    }

    public ImageEngine(ImageLimits limits) {
        this(limits, NativeJpeg.AUTO);
    }

    public ImageEngine(ImageLimits limits, NativeJpeg nativeJpeg) {
        this(limits, nativeJpeg, Long.MAX_VALUE);
    }

    /**
     * @param memoryBudget the heap, in bytes, that renders running at once on this engine may hold
     *     between them ({@link #estimate}); a render waits until its share is free
     */
    public ImageEngine(ImageLimits limits, NativeJpeg nativeJpeg, long memoryBudget) {
        this(limits, nativeJpeg, new MemoryBudget(memoryBudget));
    }

    /** @param budget the heap renders on this engine, and whatever else shares the budget, may hold */
    public ImageEngine(ImageLimits limits, NativeJpeg nativeJpeg, MemoryBudget budget) {
        this.limits = limits;
        this.turboJpeg = nativeJpeg == NativeJpeg.AUTO && TurboJpeg.available();
        this.budget = budget;
    }

    /** The heap, in bytes, renders on this engine may hold at once. */
    public long memoryBudget() {
        return budget.bytes();
    }

    /** Whether libjpeg-turbo was found, so that {@link NativeJpeg#AUTO} uses it. */
    public static boolean turboJpegAvailable() {
        return TurboJpeg.available();
    }

    /** Whether this engine decodes and encodes ordinary JPEGs with libjpeg-turbo. */
    public boolean usesTurboJpeg() {
        return turboJpeg;
    }

    /**
     * @throws ImageException for a source that is unsupported, over a limit, or damaged, or an
     *     operation that cannot apply to it; these are permanent and not worth a retry
     */
    public List<Rendition> render(byte[] source, List<OutputSpec> outputs) {
        ImageInfo info = inspector.inspect(source);
        limits.check(info);
        double fraction = fraction(info, outputs);
        boolean nativeJpeg = turboJpeg && info.format() == ImageFormat.JPEG;
        MemoryBudget.Lease lease = budget.acquire(affordable(estimate(info, nativeJpeg, fraction, outputs)));
        try {
            return render(source, outputs, info, fraction, nativeJpeg);
        } finally {
            lease.close();
        }
    }

    /**
     * A render that would need more memory than the whole budget fails at once, before anything is
     * read or decoded: run alone it would still not fit beside everything else the heap holds, and an
     * out-of-memory error would take the service down instead of failing one job.
     *
     * @throws ImageException {@code image-too-large}, naming what the render needs and the budget
     */
    private long affordable(long estimate) {
        if (estimate > budget.bytes()) {
            throw new ImageException.ImageTooLargeException(("rendering this needs about %d MiB of memory, more "
                    + "than the %d MiB this service allows (stillwater.engine.memory-budget); ask for a smaller "
                    + "output or give the service more heap").formatted(estimate >> 20, budget.bytes() >> 20),
                    budget.bytes());
        }
        return estimate;
    }

    /** Reads a source's bytes; called by {@link #render(ImageInfo, long, Source, List)} once memory is held. */
    @FunctionalInterface
    public interface Source {
        byte[] read() throws java.io.IOException;
    }

    /**
     * Renders a source that is not yet in memory: its memory (the bytes and the estimated decode, from
     * the format and size its header gave when it was accepted) is taken from the budget first, and
     * only then is it read, so renders waiting for memory hold none. The bytes are inspected again
     * and checked against the limits as in {@link #render(byte[], List)}.
     *
     * @param declared the format and size the source's header gave when it was accepted
     * @param size the source's length in bytes
     */
    public List<Rendition> render(ImageInfo declared, long size, Source source, List<OutputSpec> outputs)
            throws java.io.IOException {
        // The orientation is not known before the bytes are read: estimate for whichever way decodes more.
        ImageInfo turned = new ImageInfo(declared.format(), declared.width(), declared.height(), 6);
        boolean nativeJpeg = turboJpeg && declared.format() == ImageFormat.JPEG;
        long estimate = Math.max(estimate(declared, nativeJpeg, fraction(declared, outputs), outputs),
                estimate(turned, nativeJpeg, fraction(turned, outputs), outputs));
        MemoryBudget.Lease lease = budget.acquire(affordable(size + estimate));
        try {
            byte[] data = source.read();
            ImageInfo info = inspector.inspect(data);
            limits.check(info);
            return render(data, outputs, info, fraction(info, outputs), turboJpeg && info.format() == ImageFormat.JPEG);
        } finally {
            lease.close();
        }
    }

    /**
     * The heap one render of this source is expected to hold at its peak: {@link
     * #BYTES_PER_DECODED_PIXEL} for each pixel decoded, at the reduced size it will be decoded at.
     * For libjpeg-turbo that is the larger of its scaled size and ImageIO's subsampled one, which a
     * file it fails on falls back to. The pure-Java JPEG decoder's DCT scaling never decodes more
     * pixels than ImageIO's subsampling, so the subsampled size covers both; its coefficients (at
     * most 2 bytes a component and decoded pixel, only the kept frequencies when scaled) are
     * released before the image is encoded.
     */
    static long estimate(ImageInfo info, boolean nativeJpeg, double fraction) {
        return estimate(info, nativeJpeg, fraction, List.of());
    }

    /** As above, or the largest image an output's resize makes of the whole source, if that is more. */
    static long estimate(ImageInfo info, boolean nativeJpeg, double fraction, List<OutputSpec> outputs) {
        int divisor = nativeJpeg ? Math.min(dctDenominator(fraction), subsampling(fraction))
                : info.format() == ImageFormat.WEBP ? 1 : subsampling(fraction);
        long width = (info.width() + divisor - 1) / divisor;
        long height = (info.height() + divisor - 1) / divisor;
        long pixels = width * height;
        for (OutputSpec output : outputs) {
            for (Operation op : output.ops() == null ? List.<Operation>of() : output.ops()) {
                if (op instanceof Resize resize) {
                    pixels = Math.max(pixels, resize.pixelsFor(info.displayWidth(), info.displayHeight()));
                }
            }
        }
        return pixels * BYTES_PER_DECODED_PIXEL;
    }

    private List<Rendition> render(byte[] source, List<OutputSpec> outputs, ImageInfo info, double fraction,
            boolean nativeJpeg) {
        BufferedImage decoded = nativeJpeg
                ? Decoder.decodeJpeg(source, info, subsampling(fraction), dctDenominator(fraction))
                : info.format() == ImageFormat.JPEG
                        ? Decoder.decodeJpegJava(source, info, subsampling(fraction), dctDenominator(fraction))
                        : Decoder.decode(source, info, subsampling(fraction));
        BufferedImage image = Orientation.apply(decoded, info.orientation());
        KeptMetadata kept = null;
        List<Rendition> renditions = new ArrayList<>(outputs.size());
        for (OutputSpec output : outputs) {
            BufferedImage result = image;
            for (Operation op : output.ops() == null ? List.<Operation>of() : output.ops()) {
                if (op instanceof Resize resize) {
                    limits.checkOutput(output.name(), resize.pixelsFor(result.getWidth(), result.getHeight()));
                }
                result = op.applyTo(result);
            }
            if (output.keepMetadataOrDefault() && kept == null) {
                kept = KeptMetadata.read(info.format(), source);
            }
            byte[] encoded = Encoder.encode(result, output,
                    output.keepMetadataOrDefault() ? kept : KeptMetadata.NONE, turboJpeg);
            ImageFormat format = output.formatOrDefault();
            renditions.add(new Rendition(output.name(), format, result.getWidth(), result.getHeight(), encoded));
        }
        return renditions;
    }

    /**
     * How many source pixels per decoded pixel every output can spare: decoding at a reduced size is
     * far cheaper, and the decoded image stays at least twice the largest output so the final
     * downscale still filters well. Only an output that starts with a resize can spare any.
     */
    static int subsampling(ImageInfo info, List<OutputSpec> outputs) {
        return subsampling(fraction(info, outputs));
    }

    private static int subsampling(double fraction) {
        return fraction >= 1 ? 1 : Math.max(1, (int) Math.floor(1 / (2 * fraction)));
    }

    /**
     * libjpeg-turbo's DCT-domain scaling, 1/1, 1/2, 1/4 or 1/8: the smallest that still decodes at
     * least as large as every output needs. Scaling in the DCT domain averages rather than drops
     * pixels, so it needs no margin beyond the output's size.
     */
    static int dctDenominator(double fraction) {
        int denominator = 8;
        while (denominator > 1 && fraction * denominator > 1) {
            denominator /= 2;
        }
        return denominator;
    }

    /**
     * The largest share of the displayed source, per side, any output keeps: 1 unless every output
     * starts with a resize. A box fitted {@code inside} (or {@code contain}) scales by the smaller of
     * its sides' ratios; {@code cover} and {@code fill} by the larger.
     */
    static double fraction(ImageInfo info, List<OutputSpec> outputs) {
        double largest = 0;
        for (OutputSpec output : outputs) {
            List<Operation> ops = output.ops() == null ? List.of() : output.ops();
            if (ops.isEmpty() || !(ops.get(0) instanceof Resize resize)) {
                return 1;
            }
            double w = resize.width() == null ? -1 : resize.width() / (double) info.displayWidth();
            double h = resize.height() == null ? -1 : resize.height() / (double) info.displayHeight();
            Resize.Fit fit = resize.fitOrDefault();
            boolean smaller = (fit == Resize.Fit.INSIDE || fit == Resize.Fit.CONTAIN) && w > 0 && h > 0;
            double fraction = smaller ? Math.min(w, h) : Math.max(w, h);
            if (fraction <= 0) {
                return 1;
            }
            largest = Math.max(largest, fraction);
        }
        return largest <= 0 ? 1 : Math.min(1, largest);
    }

    static {
        // Decode and encode in memory: the inputs are bounded, and ImageIO's disk cache only adds I/O.
        ImageIO.setUseCache(false);
    }
}
