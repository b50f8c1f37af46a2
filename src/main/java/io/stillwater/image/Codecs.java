package io.stillwater.image;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader;
import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageWriter;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;

/**
 * Picks the ImageIO reader or writer for a format explicitly rather than taking whichever plugin
 * registered first. Two JPEG plugins are on the class path: the JDK's, which decodes ordinary
 * (greyscale and YCbCr) JPEGs faster, and TwelveMonkeys', which registers itself ahead of it and is
 * needed for CMYK and YCCK JPEGs (Adobe's inverted CMYK, YCCK, embedded CMYK profiles).
 */
final class Codecs {

    private Codecs() {}

    /** The reader for a format; for JPEG the JDK's. */
    static ImageReader reader(ImageFormat format) {
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format.id()); it.hasNext(); ) {
            ImageReader reader = it.next();
            if (!(reader instanceof JPEGImageReader)) {
                return reader;
            }
            reader.dispose();
        }
        throw ImageException.unsupported("no decoder for " + format.id());
    }

    /** TwelveMonkeys' JPEG reader, for the colour spaces the JDK's decodes wrongly or not at all. */
    static ImageReader cmykJpegReader() {
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReader reader = it.next();
            if (reader instanceof JPEGImageReader) {
                return reader;
            }
            reader.dispose();
        }
        throw new IllegalStateException("the TwelveMonkeys JPEG reader is not registered");
    }

    /** The writer for a format; for JPEG the JDK's, which TwelveMonkeys' would only wrap. */
    static ImageWriter writer(ImageFormat format) {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(format.id()); it.hasNext(); ) {
            ImageWriter writer = it.next();
            if (!(writer instanceof JPEGImageWriter)) {
                return writer;
            }
            writer.dispose();
        }
        throw new IllegalStateException("no encoder for " + format.id());
    }
}
