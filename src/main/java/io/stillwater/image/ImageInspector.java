package io.stillwater.image;

import com.drew.imaging.FileType;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.bmp.BmpHeaderDirectory;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import com.drew.metadata.gif.GifHeaderDirectory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.jpeg.JpegReader;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads format, dimensions, EXIF orientation and frame count from an image's header and metadata
 * segments, without decoding a single pixel, so limits are checked before any memory is spent on
 * pixels.
 */
public final class ImageInspector {

    /**
     * @throws ImageException {@code unsupported-image} when the bytes are no supported image or the
     *     header cannot be read
     */
    public ImageInfo inspect(byte[] data) {
        ImageFormat format = ImageFormat.sniff(data)
                .orElseThrow(() -> ImageException.unsupported(
                        "the data is not an image in a supported format (JPEG, PNG, WebP, GIF, BMP, TIFF)"));
        Metadata metadata;
        try {
            metadata = readMetadata(format, data);
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            if (format == ImageFormat.PNG && data.length >= 24) {
                // A PNG's size is in IHDR, the first chunk; damage further on is the decoder's to find.
                ByteBuffer ihdr = ByteBuffer.wrap(data, 16, 8);
                return checked(new ImageInfo(format, ihdr.getInt(), ihdr.getInt(), 1));
            }
            int[] webp = format == ImageFormat.WEBP ? webpDimensions(data) : null;
            if (webp != null) {
                // Likewise a WebP's size is in its first chunk, whatever follows.
                return checked(new ImageInfo(format, webp[0], webp[1], 1, FrameCounter.count(format, data)));
            }
            throw ImageException.unsupported("the %s header cannot be read: %s".formatted(format.id(), e.getMessage()));
        }
        int[] size = dimensions(format, metadata);
        if (format == ImageFormat.WEBP && size[0] == 0 && webpDimensions(data) != null) {
            // A WebP cut short may lose its metadata directory, but its size is in the first chunk.
            size = webpDimensions(data);
        }
        if (format == ImageFormat.GIF) {
            // Decoders size a GIF by its frames' image descriptors, not the logical screen the header
            // gives: a frame larger than the screen is what would be allocated.
            int[] frames = FrameCounter.gifFrameExtent(data);
            size = new int[] {Math.max(size[0], frames[0]), Math.max(size[1], frames[1])};
        }
        return checked(new ImageInfo(format, size[0], size[1], orientation(metadata), FrameCounter.count(format, data)));
    }

    /**
     * The metadata the inspector needs, read from no more of the file than holds it. The metadata
     * library otherwise parses every segment and chunk there is, and a hostile file is mostly those:
     * thousands of JPEG APP2 profile chunks it joins in quadratic time, PNG zTXt or iTXt chunks it
     * inflates without bound (a megabyte declaring gigabytes of text).
     */
    private static Metadata readMetadata(ImageFormat format, byte[] data) throws ImageProcessingException, IOException {
        return switch (format) {
            // Only the frame header (size) and APP1 (EXIF orientation) segments are read and kept.
            case JPEG -> JpegMetadataReader.readMetadata(new ByteArrayInputStream(data),
                    List.of(new JpegReader(), new ExifReader()));
            // IHDR and eXIf copied into a file of their own: no text, profile or other chunk is parsed.
            case PNG -> ImageMetadataReader.readMetadata(new ByteArrayInputStream(pngHeaderChunks(data)));
            default -> ImageMetadataReader.readMetadata(new ByteArrayInputStream(data), data.length, fileType(format));
        };
    }

    /** The PNG signature, its IHDR and eXIf chunks as they are, and IEND. */
    static byte[] pngHeaderChunks(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(data, 0, Math.min(8, data.length));
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int pos = 8;
        while (pos + 12 <= data.length) {
            long length = buffer.getInt(pos) & 0xFFFFFFFFL;
            String type = new String(data, pos + 4, 4, StandardCharsets.US_ASCII);
            long end = pos + 12 + length;
            if (end > data.length || type.equals("IEND")) {
                break;
            }
            if (type.equals("IHDR") || type.equals("eXIf")) {
                out.write(data, pos, (int) (end - pos));
            }
            pos = (int) end;
        }
        out.writeBytes(PNG_IEND);
        return out.toByteArray();
    }

    private static final byte[] PNG_IEND = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    /** Width and height from the first chunk of a WebP (VP8X canvas, VP8 or VP8L frame header), or null. */
    static int[] webpDimensions(byte[] data) {
        if (data.length < 30) {
            return null;
        }
        String chunk = new String(data, 12, 4, StandardCharsets.US_ASCII);
        switch (chunk) {
            case "VP8X":
                return new int[] {uint24(data, 24) + 1, uint24(data, 27) + 1};
            case "VP8 ":
                return new int[] {
                    ((data[26] & 0xFF) | (data[27] & 0xFF) << 8) & 0x3FFF,
                    ((data[28] & 0xFF) | (data[29] & 0xFF) << 8) & 0x3FFF
                };
            case "VP8L":
                int bits = (data[21] & 0xFF) | (data[22] & 0xFF) << 8 | (data[23] & 0xFF) << 16 | (data[24] & 0xFF) << 24;
                return new int[] {(bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
            default:
                return null;
        }
    }

    private static int uint24(byte[] data, int offset) {
        return (data[offset] & 0xFF) | (data[offset + 1] & 0xFF) << 8 | (data[offset + 2] & 0xFF) << 16;
    }

    private static ImageInfo checked(ImageInfo info) {
        if (info.width() <= 0 || info.height() <= 0) {
            throw ImageException.unsupported("the %s header gives no usable dimensions".formatted(info.format().id()));
        }
        return info;
    }

    private static int[] dimensions(ImageFormat format, Metadata metadata) {
        return switch (format) {
            case JPEG -> read(metadata.getFirstDirectoryOfType(JpegDirectory.class),
                    JpegDirectory.TAG_IMAGE_WIDTH, JpegDirectory.TAG_IMAGE_HEIGHT);
            case PNG -> metadata.getDirectoriesOfType(PngDirectory.class).stream()
                    .filter(d -> d.containsTag(PngDirectory.TAG_IMAGE_WIDTH))
                    .findFirst()
                    .map(d -> read(d, PngDirectory.TAG_IMAGE_WIDTH, PngDirectory.TAG_IMAGE_HEIGHT))
                    .orElse(new int[] {0, 0});
            case WEBP -> read(metadata.getFirstDirectoryOfType(WebpDirectory.class),
                    WebpDirectory.TAG_IMAGE_WIDTH, WebpDirectory.TAG_IMAGE_HEIGHT);
            case GIF -> read(metadata.getFirstDirectoryOfType(GifHeaderDirectory.class),
                    GifHeaderDirectory.TAG_IMAGE_WIDTH, GifHeaderDirectory.TAG_IMAGE_HEIGHT);
            case BMP -> read(metadata.getFirstDirectoryOfType(BmpHeaderDirectory.class),
                    BmpHeaderDirectory.TAG_IMAGE_WIDTH, BmpHeaderDirectory.TAG_IMAGE_HEIGHT);
            case TIFF -> read(metadata.getFirstDirectoryOfType(ExifIFD0Directory.class),
                    ExifIFD0Directory.TAG_IMAGE_WIDTH, ExifIFD0Directory.TAG_IMAGE_HEIGHT);
        };
    }

    private static int[] read(Directory directory, int widthTag, int heightTag) {
        if (directory == null) {
            return new int[] {0, 0};
        }
        Integer width = directory.getInteger(widthTag);
        Integer height = directory.getInteger(heightTag);
        // BMP stores bottom-up images with a negative height.
        return new int[] {width == null ? 0 : Math.abs(width), height == null ? 0 : Math.abs(height)};
    }

    private static int orientation(Metadata metadata) {
        ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        Integer value = exif == null ? null : exif.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
        return value != null && value >= 1 && value <= 8 ? value : 1;
    }

    private static FileType fileType(ImageFormat format) {
        return switch (format) {
            case JPEG -> FileType.Jpeg;
            case PNG -> FileType.Png;
            case WEBP -> FileType.WebP;
            case GIF -> FileType.Gif;
            case BMP -> FileType.Bmp;
            case TIFF -> FileType.Tiff;
        };
    }
}
