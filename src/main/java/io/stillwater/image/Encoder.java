package io.stillwater.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Encodes sRGB pixels as JPEG (alpha flattened on white, optionally progressive), PNG or WebP (both
 * keeping alpha). The writers are given pixels only, never the source's metadata, so a rendition
 * carries none unless {@link MetadataWriter} adds what an output keeps.
 */
final class Encoder {

    private Encoder() {}

    private static final System.Logger LOG = System.getLogger(Encoder.class.getName());
    private static final AtomicBoolean NATIVE_FAILURE_LOGGED = new AtomicBoolean();

    static byte[] encode(BufferedImage image, OutputSpec output, KeptMetadata kept) {
        return encode(image, output, kept, false);
    }

    /** @param turboJpeg encode JPEG with libjpeg-turbo (the caller checked it is installed) */
    static byte[] encode(BufferedImage image, OutputSpec output, KeptMetadata kept, boolean turboJpeg) {
        ImageFormat format = output.formatOrDefault();
        BufferedImage pixels = format == ImageFormat.JPEG ? flatten(image) : image;
        if (turboJpeg && format == ImageFormat.JPEG) {
            try {
                byte[] encoded = TurboJpeg.encode(pixels, output.qualityOrDefault(), output.progressiveOrDefault());
                return MetadataWriter.embed(format, encoded, pixels.getWidth(), pixels.getHeight(), false, kept);
            } catch (RuntimeException e) {
                if (NATIVE_FAILURE_LOGGED.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.WARNING,
                            "libjpeg-turbo could not encode a JPEG; ImageIO encodes it instead (logged once)", e);
                }
            }
        }
        ImageWriter writer = Codecs.writer(format);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format != ImageFormat.PNG && param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                if (format == ImageFormat.WEBP) {
                    param.setCompressionType(param.getCompressionTypes()[0]);
                }
                param.setCompressionQuality(output.qualityOrDefault() / 100f);
            }
            if (format == ImageFormat.JPEG && output.progressiveOrDefault()) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(pixels, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return MetadataWriter.embed(format, bytes.toByteArray(), pixels.getWidth(), pixels.getHeight(),
                pixels.getColorModel().hasAlpha(), kept);
    }

    private static BufferedImage flatten(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
