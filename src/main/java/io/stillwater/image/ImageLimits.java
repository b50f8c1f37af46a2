package io.stillwater.image;

/**
 * What the engine refuses to decode, judged from the header before any pixel is decoded.
 *
 * @param maxPixels largest source, width × height
 * @param maxFrames most frames (of an animated GIF or WebP) a source may declare; only the first is
 *     rendered, but a file declaring thousands is refused rather than walked
 */
public record ImageLimits(long maxPixels, int maxFrames) {

    public static final int DEFAULT_MAX_FRAMES = 1000;

    /** Throws {@code image-too-large} when the header says the image is over a limit. */
    public void check(ImageInfo info) {
        if (info.pixels() > maxPixels) {
            throw ImageException.tooManyPixels(info, maxPixels);
        }
        if (info.frames() > maxFrames) {
            throw ImageException.tooManyFrames(info, maxFrames);
        }
    }

    /**
     * Throws {@code image-too-large} when an output's resize would make an image of more pixels than
     * a source may have: enlarging an extreme aspect ratio by one side derives the other without bound.
     */
    public void checkOutput(String output, long pixels) {
        if (pixels > maxPixels) {
            throw new ImageException.ImageTooLargeException(
                    "output %s would be %d pixels, over the limit of %d".formatted(output, pixels, maxPixels), maxPixels);
        }
    }
}
