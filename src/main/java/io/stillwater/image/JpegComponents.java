package io.stillwater.image;

/**
 * Reads the number of colour components from a JPEG's frame header (SOF), which decides the decoder:
 * four means CMYK or YCCK.
 */
final class JpegComponents {

    private JpegComponents() {}

    /** The component count, or 3 (the common case, left to the decoder to judge) when no SOF is found. */
    static int count(byte[] data) {
        int pos = 2;
        while (pos + 4 <= data.length) {
            if ((data[pos] & 0xFF) != 0xFF) {
                return 3;
            }
            int marker = data[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            int length = ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
            boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frame) {
                return pos + 9 < data.length ? data[pos + 9] & 0xFF : 3;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return 3;
            }
            pos += 2 + length;
        }
        return 3;
    }

    /** Whether the frame header is progressive (SOF2); false when no frame header is found. */
    static boolean progressive(byte[] data) {
        return frameMarker(data) == 0xC2;
    }

    /** The frame header's marker (0xC0 to 0xCF), or -1 when none is found before the first scan. */
    static int frameMarker(byte[] data) {
        int pos = 2;
        while (pos + 4 <= data.length) {
            if ((data[pos] & 0xFF) != 0xFF) {
                return -1;
            }
            int marker = data[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            int length = ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return marker;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return -1;
            }
            pos += 2 + length;
        }
        return -1;
    }
}
