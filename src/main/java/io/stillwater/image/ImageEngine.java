package io.stillwater.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Renders a job's outputs from one source image: checks the header against the pixel limit, decodes
 * once (at reduced resolution when every output is a large downscale), applies EXIF orientation, runs
 * each output's operations and encodes it. Renditions carry no metadata from the source.
 */
public final class ImageEngine {

    private final ImageInspector inspector = new ImageInspector();
    private final long maxPixels;

    /** @param maxPixels the largest source, width × height, this engine will decode */
    public ImageEngine(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /**
     * @throws ImageException for a source that is unsupported, over the pixel limit, or damaged;
     *     these are permanent and not worth a retry
     */
    public List<Rendition> render(byte[] source, List<OutputSpec> outputs) {
        ImageInfo info = inspector.inspect(source);
        if (info.pixels() > maxPixels) {
            throw ImageException.tooManyPixels(info, maxPixels);
        }
        int subsampling = subsampling(info, outputs);
        BufferedImage image = Orientation.apply(decode(source, info, subsampling), info.orientation());
        List<Rendition> renditions = new ArrayList<>(outputs.size());
        for (OutputSpec output : outputs) {
            BufferedImage result = image;
            for (Operation op : output.ops() == null ? List.<Operation>of() : output.ops()) {
                result = op.applyTo(result);
            }
            ImageFormat format = output.formatOrDefault();
            byte[] encoded = encode(result, format, output.qualityOrDefault());
            renditions.add(new Rendition(output.name(), format, result.getWidth(), result.getHeight(), encoded));
        }
        return renditions;
    }

    /**
     * How many source pixels per decoded pixel every output can spare: decoding at a reduced size is
     * far cheaper, and the decoded image stays at least twice the largest output so the final
     * downscale still filters well.
     */
    static int subsampling(ImageInfo info, List<OutputSpec> outputs) {
        double largest = 0;
        for (OutputSpec output : outputs) {
            List<Operation> ops = output.ops() == null ? List.of() : output.ops();
            if (ops.isEmpty() || !(ops.get(0) instanceof Resize resize)) {
                return 1;
            }
            double fraction = 0;
            if (resize.width() != null) {
                fraction = Math.max(fraction, resize.width() / (double) info.displayWidth());
            }
            if (resize.height() != null) {
                fraction = Math.max(fraction, resize.height() / (double) info.displayHeight());
            }
            largest = Math.max(largest, fraction);
        }
        return largest <= 0 ? 1 : Math.max(1, (int) Math.floor(1 / (2 * largest)));
    }

    private static BufferedImage decode(byte[] source, ImageInfo info, int subsampling) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(source))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw ImageException.unsupported("no decoder for " + info.format().id());
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
            try {
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
            } finally {
                reader.dispose();
            }
        } catch (IIOException e) {
            if (String.valueOf(e.getMessage()).contains("Unsupported Image Type")) {
                throw new ImageException("unsupported-colour-space",
                        "the %s uses a colour space that cannot be decoded".formatted(info.format().id()), e);
            }
            throw ImageException.corrupt("the image data is damaged: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageException imageException) {
                throw imageException;
            }
            throw ImageException.corrupt("the image data cannot be decoded: " + e.getMessage(), e);
        }
    }

    /** Brings any decoded layout to packed RGB or ARGB, which the operations and encoders expect. */
    private static BufferedImage toRgb(BufferedImage image) {
        int type = image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        if (image.getType() == type) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), type);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
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

    private static byte[] encode(BufferedImage image, ImageFormat format, int quality) {
        BufferedImage pixels = format == ImageFormat.PNG ? image : flatten(image);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format.id());
        if (!writers.hasNext()) {
            throw new IllegalStateException("no encoder for " + format.id());
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (ImageOutputStream output = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(output);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format != ImageFormat.PNG && param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                if (format == ImageFormat.WEBP) {
                    param.setCompressionType(param.getCompressionTypes()[0]);
                }
                param.setCompressionQuality(quality / 100f);
            }
            writer.write(null, new IIOImage(pixels, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static {
        // Decode and encode in memory: the inputs are bounded, and ImageIO's disk cache only adds I/O.
        ImageIO.setUseCache(false);
    }
}
