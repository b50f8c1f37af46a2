package io.stillwater.image;

import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes the first frame of a source into packed sRGB pixels ({@code TYPE_INT_RGB}, or
 * {@code TYPE_INT_ARGB} with alpha), the one layout the operations and encoders work on.
 *
 * <ul>
 *   <li>JPEG: greyscale and YCbCr through libjpeg-turbo ({@link #decodeJpeg}) or, on the pure-Java
 *       path, {@link JpegDecoder} ({@link #decodeJpegJava}), both scaled in the DCT domain; what
 *       those do not handle or fail on through the JDK's reader, with TwelveMonkeys' as a second try
 *       when the JDK's refuses the colour setup; CMYK and YCCK (four components) through TwelveMonkeys',
 *       which applies Adobe's conventions and an embedded CMYK profile. Both readers apply an
 *       embedded RGB profile.
 *   <li>PNG and WebP: their readers ignore an embedded profile, so a non-sRGB one is applied here.
 *   <li>GIF and WebP animations: the first frame.
 *   <li>Anything that decodes into another colour space is converted to sRGB.
 * </ul>
 *
 * Any decoder warning (truncated data, a bad checksum) fails the decode as {@code corrupt-image}
 * rather than letting grey bands reach a rendition.
 */
final class Decoder {

    private static final String UNSUPPORTED_COLOUR_SPACE = "unsupported-colour-space";

    private static final System.Logger LOG = System.getLogger(Decoder.class.getName());
    private static final AtomicBoolean NATIVE_FAILURE_LOGGED = new AtomicBoolean();

    private Decoder() {}

    /**
     * A JPEG through libjpeg-turbo (the caller checked it is installed and the header is within the
     * limits), scaled in the DCT domain to 1/{@code denominator}; CMYK, YCCK, Adobe RGB-transform and
     * anything libjpeg-turbo fails on (damaged data included, which ImageIO then judges) take the
     * ImageIO path of {@link #decode}, subsampled by {@code subsampling}. A progressive JPEG decoded at
     * 1/8 goes to {@link JpegDecoder} first, which reads its DC scans alone.
     */
    static BufferedImage decodeJpeg(byte[] source, ImageInfo info, int subsampling, int denominator) {
        int components = JpegComponents.count(source);
        if ((components == 1 || components == 3) && denominator == 8 && JpegComponents.progressive(source)) {
            // At 1/8 only the DC coefficients count: JpegDecoder skips a progressive file's AC scans unread,
            // where libjpeg-turbo decodes every scan (README, Performance: a thumbnail several times faster).
            try {
                return decodeWithJpegDecoder(source, info, denominator);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "the Java JPEG decoder left a file to libjpeg-turbo: " + e.getMessage());
            }
        }
        if (components == 1 || components == 3) {
            try {
                TurboJpeg.Header header = TurboJpeg.header(source);
                if (header.ordinary()) {
                    if (header.width() != info.width() || header.height() != info.height()) {
                        throw new IllegalStateException("the header says %d x %d, the inspector %d x %d".formatted(
                                header.width(), header.height(), info.width(), info.height()));
                    }
                    BufferedImage image = TurboJpeg.decode(source, info.width(), info.height(), denominator);
                    ICC_ColorSpace embedded = IccProfiles.nonSrgbRgb(IccProfiles.read(ImageFormat.JPEG, source));
                    if (embedded != null) {
                        toSrgb(image, embedded);
                    }
                    return image;
                }
            } catch (RuntimeException e) {
                if (NATIVE_FAILURE_LOGGED.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.WARNING, "libjpeg-turbo could not decode a JPEG (" + e.getMessage()
                            + "); ImageIO decodes it instead, as it will any other it fails on (logged once)");
                }
            }
        }
        return decode(source, info, subsampling);
    }

    /**
     * A JPEG on the pure-Java path. Progressive ones, and baseline ones decoded at 1/4 or 1/8, go
     * through {@link JpegDecoder}, scaled in the DCT domain to 1/{@code denominator}: the JDK's
     * reader runs a full output pass for every scan of a progressive file and cannot scale. Baseline
     * files at full or half size stay with the JDK's reader, which decodes those about twice as fast
     * (README, Performance). Anything {@code JpegDecoder} does not handle or fails on (damaged data
     * included, which ImageIO then judges as before) takes the ImageIO path of {@link #decode},
     * subsampled by {@code subsampling}.
     */
    static BufferedImage decodeJpegJava(byte[] source, ImageInfo info, int subsampling, int denominator) {
        int components = JpegComponents.count(source);
        if ((components == 1 || components == 3) && (denominator >= 4 || JpegComponents.progressive(source))) {
            try {
                return decodeWithJpegDecoder(source, info, denominator);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "the Java JPEG decoder left a file to ImageIO: " + e.getMessage());
            }
        }
        return decode(source, info, subsampling);
    }

    /** {@link JpegDecoder} at 1/{@code denominator}, an embedded RGB profile converted to sRGB. */
    private static BufferedImage decodeWithJpegDecoder(byte[] source, ImageInfo info, int denominator) {
        BufferedImage image = JpegDecoder.decode(source, info.width(), info.height(), denominator);
        ICC_ColorSpace embedded = IccProfiles.nonSrgbRgb(IccProfiles.read(ImageFormat.JPEG, source));
        if (embedded != null) {
            toSrgb(image, embedded);
        }
        return image;
    }

    static BufferedImage decode(byte[] source, ImageInfo info, int subsampling) {
        ImageFormat format = info.format();
        if (format == ImageFormat.JPEG) {
            int components = JpegComponents.count(source);
            if (components == 4) {
                return read(source, info, subsampling, Codecs.cmykJpegReader());
            }
            if (components != 1 && components != 3) {
                // TwelveMonkeys would return two components as some colour space of its guessing.
                throw ImageException.unsupportedColourSpace(
                        "the jpeg has %d colour components; greyscale (1), YCbCr or RGB (3) and CMYK or YCCK (4) decode"
                                .formatted(components), null);
            }
        }
        BufferedImage image;
        try {
            byte[] still = format == ImageFormat.WEBP && info.frames() > 1 ? WebpFrames.firstFrame(source) : source;
            image = read(still, info, subsampling, Codecs.reader(format));
        } catch (ImageException e) {
            if (format != ImageFormat.JPEG || !e.code().equals(UNSUPPORTED_COLOUR_SPACE)) {
                throw e;
            }
            // TwelveMonkeys reads some colour setups the JDK's reader refuses as an unsupported image
            // type; when it cannot either, the JDK's reason stands.
            try {
                return read(source, info, subsampling, Codecs.cmykJpegReader());
            } catch (ImageException second) {
                throw e;
            }
        }
        if (format == ImageFormat.PNG || format == ImageFormat.WEBP) {
            ICC_ColorSpace embedded = IccProfiles.nonSrgbRgb(IccProfiles.read(format, source));
            if (embedded != null) {
                toSrgb(image, embedded);
            }
        }
        return image;
    }

    private static BufferedImage read(byte[] source, ImageInfo info, int subsampling, ImageReader reader) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(source))) {
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((r, warning) -> {
                if (isDamage(warning)) {
                    warnings.add(warning);
                }
            });
            reader.setInput(input, true, true);
            ImageReadParam param = reader.getDefaultReadParam();
            if (subsampling > 1 && info.format() != ImageFormat.WEBP) {
                param.setSourceSubsampling(subsampling, subsampling, 0, 0);
            }
            BufferedImage decoded = reader.read(0, param);
            if (!warnings.isEmpty()) {
                throw ImageException.corrupt("the image data is damaged: " + String.join("; ", warnings), null);
            }
            return toRgb(decoded);
        } catch (IIOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("Unsupported Image Type") || message.toLowerCase().contains("color space")
                    || message.toLowerCase().contains("colour space")) {
                throw ImageException.unsupportedColourSpace(
                        "the %s uses a colour space that cannot be decoded: %s".formatted(info.format().id(), message), e);
            }
            throw ImageException.corrupt("the image data is damaged: " + message, e);
        } catch (ImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw ImageException.corrupt("the image data cannot be decoded: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * Whether a decoder warning means damaged data. TwelveMonkeys also warns about colour handling
     * (no embedded CMYK profile, an ignored or repaired profile), which says nothing about damage.
     */
    static boolean isDamage(String warning) {
        String text = String.valueOf(warning).toLowerCase(Locale.ROOT);
        return !(text.contains("icc") || text.contains("profile") || text.contains("color") || text.contains("colour"));
    }

    /** Brings any decoded layout to packed sRGB or sRGB with alpha. */
    private static BufferedImage toRgb(BufferedImage image) {
        boolean alpha = image.getColorModel().hasAlpha();
        int type = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        if (image.getType() == type) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), type);
        ColorSpace space = image.getColorModel().getColorSpace();
        if (!space.isCS_sRGB() && space.getType() != ColorSpace.TYPE_GRAY) {
            // A colour-managed conversion; drawing would treat the components as if they were sRGB.
            new ColorConvertOp(null).filter(image, out);
            return out;
        }
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Reinterprets packed RGB components as being in {@code space} and converts them to sRGB in place. */
    static void toSrgb(BufferedImage image, ICC_ColorSpace space) {
        ColorConvertOp convert = new ColorConvertOp(
                new ICC_Profile[] {space.getProfile(), ICC_Profile.getInstance(ColorSpace.CS_sRGB)}, null);
        WritableRaster raster = image.getRaster();
        WritableRaster colour = raster.createWritableChild(0, 0, raster.getWidth(), raster.getHeight(), 0, 0,
                new int[] {0, 1, 2});
        WritableRaster converted = convert.filter(colour, null);
        colour.setRect(converted);
    }
}
