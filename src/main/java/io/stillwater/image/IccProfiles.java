package io.stillwater.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Finds the ICC profile embedded in an image's container (JPEG APP2, PNG iCCP, WebP ICCP) and tells
 * whether it describes sRGB. Only the bytes are walked; nothing is decoded.
 */
final class IccProfiles {

    private static final byte[] JPEG_ICC = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);

    /** Largest profile read: real ones are a few kilobytes to a few hundred. */
    private static final int MAX_PROFILE = 4 * 1024 * 1024;

    private IccProfiles() {}

    /** The raw profile, or null when there is none (or it cannot be read). */
    static byte[] read(ImageFormat format, byte[] data) {
        try {
            return switch (format) {
                case JPEG -> jpeg(data);
                case PNG -> png(data);
                case WEBP -> webp(data);
                default -> null;
            };
        } catch (RuntimeException | DataFormatException e) {
            return null;
        }
    }

    /**
     * The profile as a colour space, when it is an RGB profile other than sRGB (those are the ones
     * whose pixels need converting); null otherwise.
     */
    static ICC_ColorSpace nonSrgbRgb(byte[] profile) {
        if (profile == null) {
            return null;
        }
        ICC_Profile icc;
        try {
            icc = ICC_Profile.getInstance(profile);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (icc.getColorSpaceType() != ColorSpace.TYPE_RGB) {
            return null;
        }
        ICC_ColorSpace space = new ICC_ColorSpace(icc);
        return isSrgb(space) ? null : space;
    }

    /** Judged by what it does, not its name: primaries and tone curve within a level of sRGB's. */
    static boolean isSrgb(ColorSpace space) {
        float[][] probes = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.5f, 0.5f, 0.5f}, {0.2f, 0.6f, 0.9f}};
        for (float[] probe : probes) {
            float[] rgb = space.toRGB(probe);
            for (int i = 0; i < 3; i++) {
                if (Math.abs(rgb[i] - probe[i]) > 2 / 255f) {
                    return false;
                }
            }
        }
        return true;
    }

    /** APP2 segments named ICC_PROFILE, joined in their sequence order. */
    private static byte[] jpeg(byte[] data) {
        byte[][] chunks = null;
        int pos = 2;
        while (pos + 4 <= data.length && (data[pos] & 0xFF) == 0xFF) {
            int marker = data[pos + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int length = ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
            int body = pos + 4;
            if (marker == 0xE2 && length >= 16 && body + length - 2 <= data.length
                    && Arrays.equals(data, body, body + JPEG_ICC.length, JPEG_ICC, 0, JPEG_ICC.length)) {
                int sequence = data[body + 12] & 0xFF;
                int count = data[body + 13] & 0xFF;
                if (chunks == null) {
                    chunks = new byte[count][];
                }
                if (sequence >= 1 && sequence <= chunks.length) {
                    chunks[sequence - 1] = Arrays.copyOfRange(data, body + 14, pos + 2 + length);
                }
            }
            pos += 2 + length;
        }
        if (chunks == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] chunk : chunks) {
            if (chunk == null) {
                return null;
            }
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    /** The iCCP chunk: a name, a compression method and the zlib-compressed profile. */
    private static byte[] png(byte[] data) throws DataFormatException {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int pos = 8;
        while (pos + 8 <= data.length) {
            int length = buffer.getInt(pos);
            String type = new String(data, pos + 4, 4, StandardCharsets.US_ASCII);
            if (length < 0 || type.equals("IDAT") || type.equals("IEND")) {
                break;
            }
            if (type.equals("iCCP") && pos + 8 + length <= data.length) {
                int start = pos + 8;
                int nul = start;
                while (nul < start + length && data[nul] != 0) {
                    nul++;
                }
                Inflater inflater = new Inflater();
                try {
                    inflater.setInput(data, nul + 2, start + length - nul - 2);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    byte[] buf = new byte[8192];
                    while (!inflater.finished()) {
                        int n = inflater.inflate(buf);
                        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                            return null;
                        }
                        out.write(buf, 0, n);
                        if (out.size() > MAX_PROFILE) {
                            return null;
                        }
                    }
                    return out.toByteArray();
                } finally {
                    inflater.end();
                }
            }
            pos += 12 + length;
        }
        return null;
    }

    /** The ICCP chunk of an extended (VP8X) WebP. */
    private static byte[] webp(byte[] data) {
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        while (pos + 8 <= data.length) {
            String type = new String(data, pos, 4, StandardCharsets.US_ASCII);
            long size = buffer.getInt(pos + 4) & 0xFFFFFFFFL;
            if (pos + 8 + size > data.length) {
                break;
            }
            if (type.equals("ICCP")) {
                return Arrays.copyOfRange(data, pos + 8, pos + 8 + (int) size);
            }
            pos += 8 + (int) size + (int) (size & 1);
        }
        return null;
    }
}
