package io.stillwater.image;

/**
 * A permanent problem with an image: retrying cannot help. The code is the stable, machine-readable
 * reason shown to clients ({@code error.code} of a failed job, or the problem type at intake).
 */
public class ImageException extends RuntimeException {

    private final String code;

    public ImageException(String code, String message) {
        super(message);
        this.code = code;
    }

    public ImageException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Not an image in a supported format, judged by its bytes, or a header that cannot be read. */
    public static ImageException unsupported(String message) {
        return new ImageException("unsupported-image", message);
    }

    /** Well-formed, but more pixels than the configured limit. */
    public static ImageTooLargeException tooManyPixels(ImageInfo info, long limit) {
        return new ImageTooLargeException(
                "the image is %d × %d = %d pixels, over the limit of %d"
                        .formatted(info.width(), info.height(), info.pixels(), limit),
                limit);
    }

    /** Well-formed, but more frames than the configured limit. */
    public static ImageTooLargeException tooManyFrames(ImageInfo info, long limit) {
        return new ImageTooLargeException(
                "the %s declares %d frames, over the limit of %d".formatted(info.format().id(), info.frames(), limit),
                limit);
    }

    /** Well-formed, but in a colour space no decoder here turns into RGB. */
    public static ImageException unsupportedColourSpace(String reason, Throwable cause) {
        return new ImageException("unsupported-colour-space", reason, cause);
    }

    /** Damaged or truncated pixel data. */
    public static ImageException corrupt(String message, Throwable cause) {
        return new ImageException("corrupt-image", message, cause);
    }

    /** An image over a configured size limit. */
    public static final class ImageTooLargeException extends ImageException {
        private final long limit;

        ImageTooLargeException(String message, long limit) {
            super("image-too-large", message);
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }
}
