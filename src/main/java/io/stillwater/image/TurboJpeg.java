package io.stillwater.image;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * JPEG decode and encode through libjpeg-turbo's TurboJPEG API ({@code libturbojpeg.so.0}, Debian's
 * {@code libturbojpeg0}), called through JNA. Decoding scales in the DCT domain (1/2, 1/4, 1/8), which
 * costs a fraction of a full decode. Only ordinary JPEGs (YCbCr or greyscale) come here; the caller
 * keeps everything else, and any failure, on the ImageIO path.
 *
 * <p>Native code is only ever given sizes the caller has checked against the limits, and buffers this
 * class allocated for exactly those sizes.
 */
final class TurboJpeg {

    /** The bytes of a TYPE_INT_RGB pixel in memory: B, G, R, X little-endian; X, R, G, B big-endian. */
    private static final int PIXEL_FORMAT =
            java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? 3 /* TJPF_BGRX */ : 5 /* TJPF_XRGB */;
    private static final int TJSAMP_420 = 2;
    private static final int TJCS_YCBCR = 1;
    private static final int TJCS_GRAY = 2;
    private static final int TJFLAG_PROGRESSIVE = 16384;

    /** The few TurboJPEG 2.x functions used. */
    interface Lib extends Library {
        Pointer tjInitDecompress();

        Pointer tjInitCompress();

        int tjDestroy(Pointer handle);

        int tjDecompressHeader3(Pointer handle, byte[] jpeg, NativeLong size, int[] width, int[] height,
                int[] subsampling, int[] colourspace);

        int tjDecompress2(Pointer handle, byte[] jpeg, NativeLong size, Pointer dst, int width, int pitch, int height,
                int pixelFormat, int flags);

        int tjCompress2(Pointer handle, Pointer src, int width, int pitch, int height, int pixelFormat,
                PointerByReference jpeg, NativeLongByReference size, int subsampling, int quality, int flags);

        void tjFree(Pointer buffer);

        String tjGetErrorStr2(Pointer handle);
    }

    private static final Lib LIB = load();

    private TurboJpeg() {}

    private static Lib load() {
        if (Boolean.getBoolean("stillwater.turbojpeg.disabled")) {
            return null;
        }
        for (String name : new String[] {"libturbojpeg.so.0", "turbojpeg"}) {
            try {
                return Native.load(name, Lib.class);
            } catch (Throwable e) {
                // not installed under this name (or JNA cannot run here): try the next, else the Java path
            }
        }
        return null;
    }

    static boolean available() {
        return LIB != null;
    }

    /** A JPEG's header as TurboJPEG reads it. */
    record Header(int width, int height, boolean ordinary) {}

    static Header header(byte[] jpeg) {
        Pointer handle = LIB.tjInitDecompress();
        if (handle == null) {
            throw new IllegalStateException("tjInitDecompress failed");
        }
        try {
            int[] w = new int[1], h = new int[1], sub = new int[1], cs = new int[1];
            if (LIB.tjDecompressHeader3(handle, jpeg, new NativeLong(jpeg.length), w, h, sub, cs) != 0) {
                throw new IllegalStateException(LIB.tjGetErrorStr2(handle));
            }
            return new Header(w[0], h[0], cs[0] == TJCS_YCBCR || cs[0] == TJCS_GRAY);
        } finally {
            LIB.tjDestroy(handle);
        }
    }

    /**
     * Decodes at 1/{@code denominator} of the stored size (1, 2, 4 or 8) into packed sRGB. The caller
     * has checked {@code width} and {@code height} (the header's) against the limits.
     */
    static BufferedImage decode(byte[] jpeg, int width, int height, int denominator) {
        if (denominator != 1 && denominator != 2 && denominator != 4 && denominator != 8) {
            throw new IllegalArgumentException("denominator " + denominator);
        }
        int w = (width + denominator - 1) / denominator;
        int h = (height + denominator - 1) / denominator;
        long bytes = (long) w * h * 4;
        if (w <= 0 || h <= 0 || bytes > Integer.MAX_VALUE - 8L * 4) {
            throw new IllegalArgumentException("cannot decode %d x %d".formatted(w, h));
        }
        Pointer handle = LIB.tjInitDecompress();
        if (handle == null) {
            throw new IllegalStateException("tjInitDecompress failed");
        }
        try (Memory pixels = new Memory(bytes)) {
            // TurboJPEG picks the largest scaling factor that fits within w × h: exactly 1/denominator.
            if (LIB.tjDecompress2(handle, jpeg, new NativeLong(jpeg.length), pixels, w, w * 4, h, PIXEL_FORMAT, 0) != 0) {
                // Any warning too (truncated or damaged data): the ImageIO path then judges the file.
                throw new IllegalStateException(LIB.tjGetErrorStr2(handle));
            }
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] target = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            pixels.read(0, target, 0, target.length);
            return image;
        } finally {
            LIB.tjDestroy(handle);
        }
    }

    /** Encodes packed RGB pixels ({@code TYPE_INT_RGB}) as a baseline or progressive 4:2:0 JPEG. */
    static byte[] encode(BufferedImage image, int quality, boolean progressive) {
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("not TYPE_INT_RGB");
        }
        int w = image.getWidth(), h = image.getHeight();
        int[] source = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        if (source.length != w * h) {
            throw new IllegalArgumentException("not a packed raster");
        }
        Pointer handle = LIB.tjInitCompress();
        if (handle == null) {
            throw new IllegalStateException("tjInitCompress failed");
        }
        try (Memory pixels = new Memory((long) source.length * 4)) {
            pixels.write(0, source, 0, source.length);
            PointerByReference out = new PointerByReference();
            NativeLongByReference size = new NativeLongByReference(new NativeLong(0));
            int flags = progressive ? TJFLAG_PROGRESSIVE : 0;
            int result = LIB.tjCompress2(handle, pixels, w, w * 4, h, PIXEL_FORMAT, out, size, TJSAMP_420,
                    Math.max(1, Math.min(100, quality)), flags);
            Pointer buffer = out.getValue();
            try {
                if (result != 0 || buffer == null) {
                    throw new IllegalStateException(LIB.tjGetErrorStr2(handle));
                }
                long length = size.getValue().longValue();
                if (length <= 0 || length > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("encoded size " + length);
                }
                return buffer.getByteArray(0, (int) length);
            } finally {
                if (buffer != null) {
                    LIB.tjFree(buffer);
                }
            }
        } finally {
            LIB.tjDestroy(handle);
        }
    }
}
