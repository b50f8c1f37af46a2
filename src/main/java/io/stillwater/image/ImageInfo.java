package io.stillwater.image;

/**
 * What the header of an image says, read without decoding pixels.
 *
 * @param format the format, from the leading bytes
 * @param width stored width in pixels, before orientation
 * @param height stored height in pixels, before orientation
 * @param orientation the EXIF orientation, 1 (as stored) to 8
 * @param frames how many frames the file declares (more than 1 for an animated GIF or WebP)
 */
public record ImageInfo(ImageFormat format, int width, int height, int orientation, int frames) {

    /** A still image. */
    public ImageInfo(ImageFormat format, int width, int height, int orientation) {
        this(format, width, height, orientation, 1);
    }

    public long pixels() {
        return (long) width * height;
    }

    /** True when the orientation turns the image a quarter, so displayed width and height swap. */
    public boolean swapsAxes() {
        return orientation >= 5 && orientation <= 8;
    }

    public int displayWidth() {
        return swapsAxes() ? height : width;
    }

    public int displayHeight() {
        return swapsAxes() ? width : height;
    }
}
