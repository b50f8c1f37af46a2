package io.stillwater.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Counts the frames an animated GIF or WebP declares by walking its block or chunk structure, which
 * costs a pass over the bytes and decodes nothing. A file cut short counts the frames seen so far;
 * the decoder reports the damage.
 */
final class FrameCounter {

    private FrameCounter() {}

    static int count(ImageFormat format, byte[] data) {
        if (format == ImageFormat.GIF) {
            return Math.max(1, gifFrames(data));
        }
        if (format == ImageFormat.WEBP) {
            return Math.max(1, webpFrames(data));
        }
        return 1;
    }

    /** GIF: image descriptors (0x2C) among the blocks after the header and global colour table. */
    static int gifFrames(byte[] data) {
        int pos = 13;
        if (data.length < pos) {
            return 0;
        }
        int flags = data[10] & 0xFF;
        if ((flags & 0x80) != 0) {
            pos += 3 << ((flags & 0x07) + 1);
        }
        int frames = 0;
        while (pos < data.length) {
            int block = data[pos] & 0xFF;
            if (block == 0x2C) {
                frames++;
                if (pos + 10 > data.length) {
                    break;
                }
                int local = data[pos + 9] & 0xFF;
                pos += 10;
                if ((local & 0x80) != 0) {
                    pos += 3 << ((local & 0x07) + 1);
                }
                pos += 1; // LZW minimum code size
                pos = skipSubBlocks(data, pos);
            } else if (block == 0x21) {
                pos = skipSubBlocks(data, pos + 2);
            } else {
                break; // 0x3B trailer, or damage
            }
        }
        return frames;
    }

    /**
     * GIF: the largest right and bottom edge any frame's image descriptor reaches, {@code {0, 0}}
     * when there is none. A decoder allocates each frame at its descriptor's size, whatever the
     * logical screen says.
     */
    static int[] gifFrameExtent(byte[] data) {
        int[] extent = {0, 0};
        int pos = 13;
        if (data.length < pos) {
            return extent;
        }
        int flags = data[10] & 0xFF;
        if ((flags & 0x80) != 0) {
            pos += 3 << ((flags & 0x07) + 1);
        }
        while (pos < data.length) {
            int block = data[pos] & 0xFF;
            if (block == 0x2C) {
                if (pos + 10 > data.length) {
                    break;
                }
                extent[0] = Math.max(extent[0], uint16(data, pos + 1) + uint16(data, pos + 5));
                extent[1] = Math.max(extent[1], uint16(data, pos + 3) + uint16(data, pos + 7));
                int local = data[pos + 9] & 0xFF;
                pos += 10;
                if ((local & 0x80) != 0) {
                    pos += 3 << ((local & 0x07) + 1);
                }
                pos = skipSubBlocks(data, pos + 1);
            } else if (block == 0x21) {
                pos = skipSubBlocks(data, pos + 2);
            } else {
                break;
            }
        }
        return extent;
    }

    private static int uint16(byte[] data, int offset) {
        return (data[offset] & 0xFF) | (data[offset + 1] & 0xFF) << 8;
    }

    private static int skipSubBlocks(byte[] data, int pos) {
        while (pos < data.length) {
            int size = data[pos] & 0xFF;
            pos += 1 + size;
            if (size == 0) {
                break;
            }
        }
        return pos;
    }

    /** WebP: ANMF chunks in the RIFF container; a still image has none. */
    static int webpFrames(byte[] data) {
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int frames = 0;
        int pos = 12;
        while (pos + 8 <= data.length) {
            boolean anmf = data[pos] == 'A' && data[pos + 1] == 'N' && data[pos + 2] == 'M' && data[pos + 3] == 'F';
            long size = buffer.getInt(pos + 4) & 0xFFFFFFFFL;
            if (anmf) {
                frames++;
            }
            long next = pos + 8 + size + (size & 1);
            if (next > data.length) {
                break;
            }
            pos = (int) next;
        }
        return frames;
    }
}
