package io.stillwater.image;

import com.drew.imaging.FileType;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.bmp.BmpHeaderDirectory;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.gif.GifHeaderDirectory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads format, dimensions and EXIF orientation from an image's header and metadata segments,
 * without decoding a single pixel, so limits are checked before any memory is spent on pixels.
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
            metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(data), data.length, fileType(format));
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            if (format == ImageFormat.PNG && data.length >= 24) {
                // A PNG's size is in IHDR, the first chunk; damage further on is the decoder's to find.
                ByteBuffer ihdr = ByteBuffer.wrap(data, 16, 8);
                return checked(new ImageInfo(format, ihdr.getInt(), ihdr.getInt(), 1));
            }
            throw ImageException.unsupported("the %s header cannot be read: %s".formatted(format.id(), e.getMessage()));
        }
        int[] size = dimensions(format, metadata);
        return checked(new ImageInfo(format, size[0], size[1], orientation(metadata)));
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
