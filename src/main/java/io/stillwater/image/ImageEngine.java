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
 */
public final class ImageEngine {

    private final ImageInspector inspector = new ImageInspector();
    private final ImageLimits limits;

    /** @param maxPixels the largest source, width × height, this engine will decode */
    public ImageEngine(long maxPixels) {
        this(new ImageLimits(maxPixels, ImageLimits.DEFAULT_MAX_FRAMES));
    }

    public ImageEngine(ImageLimits limits) {
        this.limits = limits;
    }

    /**
     * @throws ImageException for a source that is unsupported, over a limit, or damaged, or an
     *     operation that cannot apply to it; these are permanent and not worth a retry
     */
    public List<Rendition> render(byte[] source, List<OutputSpec> outputs) {
        ImageInfo info = inspector.inspect(source);
        limits.check(info);
        int subsampling = subsampling(info, outputs);
        BufferedImage image = Orientation.apply(Decoder.decode(source, info, subsampling), info.orientation());
        KeptMetadata kept = null;
        List<Rendition> renditions = new ArrayList<>(outputs.size());
        for (OutputSpec output : outputs) {
            BufferedImage result = image;
            for (Operation op : output.ops() == null ? List.<Operation>of() : output.ops()) {
                result = op.applyTo(result);
            }
            if (output.keepMetadataOrDefault() && kept == null) {
                kept = KeptMetadata.read(info.format(), source);
            }
            byte[] encoded = Encoder.encode(result, output, output.keepMetadataOrDefault() ? kept : KeptMetadata.NONE);
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

    static {
        // Decode and encode in memory: the inputs are bounded, and ImageIO's disk cache only adds I/O.
        ImageIO.setUseCache(false);
    }
}
